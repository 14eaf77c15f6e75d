using H2.Fuzz;
using SharpFuzz;

// H2.Fuzz <target>                               run under afl-fuzz (input on standard input)
// H2.Fuzz replay <target> <file-or-dir>...       run saved inputs, print failures with stack traces
// H2.Fuzz seeds <target> <testdata> <out> [max]  write a starting corpus for the target
const string Usage = """
    usage: H2.Fuzz <target>
           H2.Fuzz replay <target> <file-or-dir>...
           H2.Fuzz seeds <target> <testdata-dir> <out-dir> [max-seeds]
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    Console.Error.WriteLine($"targets: {Targets.Names}");
    return 2;
}

switch (args[0])
{
    case "replay" when args.Length >= 3 && Targets.All.TryGetValue(args[1], out Action<byte[]>? target):
        return Replay.Run(target, args[2..]) == 0 ? 0 : 1;

    case "seeds" when args.Length is 4 or 5:
        int written = SeedBuilder.Build(args[1], args[2], args[3], args.Length == 5 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 300);
        Console.WriteLine($"{written} seeds for {args[1]} in {args[3]}");
        return 0;

    case var name when args.Length == 1 && Targets.All.TryGetValue(name, out Action<byte[]>? target):
        void RunInput(Stream stream)
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        }

        if (Environment.GetEnvironmentVariable("H2FUZZ_IN_PROCESS") == "1")
        {
            Fuzzer.Run(RunInput);
        }
        else
        {
            Fuzzer.OutOfProcess.Run(RunInput);
        }

        return 0;

    default:
        Console.Error.WriteLine(Usage);
        Console.Error.WriteLine($"targets: {Targets.Names}");
        return 2;
}
