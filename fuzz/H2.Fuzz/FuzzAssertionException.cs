namespace H2.Fuzz;

/// <summary>
/// A property the harness checks on top of "no exception but H2Exception" failed (for example a
/// frame that does not survive a write and re-read). Deliberately not an H2Exception, so that it
/// reaches SharpFuzz as a crash.
/// </summary>
public sealed class FuzzAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzAssertionException()
    {
    }

    /// <summary>Creates the exception with what failed.</summary>
    /// <param name="message">The broken property.</param>
    public FuzzAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with what failed and why.</summary>
    /// <param name="message">The broken property.</param>
    /// <param name="innerException">The exception that broke it.</param>
    public FuzzAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
