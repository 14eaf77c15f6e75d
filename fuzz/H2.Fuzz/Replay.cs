using System.Diagnostics;

namespace H2.Fuzz;

/// <summary>
/// Runs saved inputs without AFL and prints every failure, then each distinct one (by exception
/// type and innermost frames) once in full: input as hex and stack trace. This is how a crash or
/// hang that afl-fuzz found becomes something to debug and a regression test.
/// </summary>
internal static class Replay
{
    // An input slower than this is reported as a likely hang (run.sh gives afl-fuzz -t 2000).
    private static readonly TimeSpan SlowInput = TimeSpan.FromSeconds(1);

    // Inputs longer than this are shown cut in the summary; the file holds them whole.
    private const int MaxHexOctets = 4096;

    /// <summary>Replays files, or every file in folders; returns the number of failing inputs.</summary>
    public static int Run(Action<byte[]> target, IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                // afl-fuzz keeps a README.txt beside its findings.
                files.AddRange(Directory.GetFiles(path).Where(f => !Path.GetFileName(f).StartsWith("README", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        int failures = 0;
        var distinct = new Dictionary<string, (int Count, string File, byte[] Input, Exception Error)>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            // Named before running, so that an uncatchable failure (stack overflow) still shows which input.
            Console.Out.Write($"{file} ({input.Length} octets): ");
            Console.Out.Flush();
            var watch = Stopwatch.StartNew();
            try
            {
                target(input);
                watch.Stop();
                if (watch.Elapsed > SlowInput)
                {
                    failures++;
                    Console.Out.WriteLine($"SLOW ({watch.Elapsed.TotalMilliseconds:F0} ms)");
                }
                else
                {
                    Console.Out.WriteLine($"ok ({watch.Elapsed.TotalMilliseconds:F1} ms)");
                }
            }
            catch (Exception e)
            {
                // Anything that escapes a target is a finding, as it is for SharpFuzz.
                failures++;
                Console.Out.WriteLine($"CRASH {e.GetType().FullName}: {e.Message}");
                string signature = Signature(e);
                distinct[signature] = distinct.TryGetValue(signature, out var seen) ? seen with { Count = seen.Count + 1 } : (1, file, input, e);
            }
        }

        Console.Out.WriteLine($"{files.Count} inputs replayed, {failures} failed, {distinct.Count} distinct crashes.");
        foreach ((string signature, (int count, string file, byte[] input, Exception error)) in distinct)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine($"--- {signature} ({count} inputs), e.g. {file}");
            string hex = Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, MaxHexOctets)));
            Console.Out.WriteLine($"input ({input.Length} octets): {hex}{(input.Length > MaxHexOctets ? "..." : "")}");
            Console.Out.WriteLine(error.ToString());
        }

        return failures;
    }

    // The exception type and the three innermost frames, without file and line numbers.
    private static string Signature(Exception e)
    {
        StackFrame[] frames = new StackTrace(e).GetFrames();
        IEnumerable<string> methods = frames.Take(3).Select(f => f.GetMethod() is { } m ? $"{m.DeclaringType?.Name}.{m.Name}" : "?");
        return $"{e.GetType().Name} at {string.Join(" < ", methods)}";
    }
}
