namespace H2.Interop.Tests;

/// <summary>
/// The soak test keeps both cores of a small CI machine busy for a minute or two: it runs on its
/// own, after the other tests, so that neither its figures nor their timeouts suffer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakRunsAlone
{
    public const string Name = "Soak";
}
