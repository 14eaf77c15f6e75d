using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using H2.Benchmarks;

// `--smoke` runs every benchmark body a few times without measuring: a quick proof that they work.
if (args.Contains("--smoke"))
{
    foreach (Type type in typeof(HpackBenchmarks).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)))
    {
        object instance = Activator.CreateInstance(type)!;
        foreach (PropertyInfo parameter in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
        {
            parameter.SetValue(instance, parameter.GetCustomAttribute<ParamsAttribute>()!.Values[^1]);
        }

        foreach (MethodInfo setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
        {
            setup.Invoke(instance, null);
        }

        foreach (MethodInfo benchmark in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
        {
            object? result = null;
            for (int i = 0; i < 3; i++)
            {
                result = benchmark.Invoke(instance, null);
            }

            Console.WriteLine($"smoke {type.Name}.{benchmark.Name}: {result}");
        }
    }

    return 0;
}

// `--dump-hpack-corpus <file>` writes the encoded corpus for nghttp2-hpack.c, so both decoders see the same octets:
// per story the octet 'S', then per case a little-endian u32 table size (0xFFFFFFFF: unchanged),
// a u32 length and the block.
int dump = Array.IndexOf(args, "--dump-hpack-corpus");
if (dump >= 0)
{
    using var output = new BinaryWriter(File.Create(args[dump + 1]));
    foreach (H2.Tests.Hpack.HpackStory story in Corpus.EncodedStories)
    {
        output.Write((byte)'S');
        foreach (H2.Tests.Hpack.HpackStoryCase item in story.Cases)
        {
            output.Write(item.HeaderTableSize is int size ? (uint)size : uint.MaxValue);
            output.Write(item.Wire!.Length);
            output.Write(item.Wire);
        }
    }

    Console.WriteLine($"{Corpus.EncodedStories.Count} stories, {HpackBenchmarks.CorpusWireBytes} wire octets, {HpackBenchmarks.CorpusHeaders} fields");
    return 0;
}

// `--decode-hpack-corpus <file> [seconds]` decodes a dump made by --dump-hpack-corpus in the same
// plain loop as nghttp2-hpack.c (one warm-up pass, then whole passes for the given time), so the
// two decoders are timed the same way, outside BenchmarkDotNet.
int decode = Array.IndexOf(args, "--decode-hpack-corpus");
if (decode >= 0)
{
    double seconds = args.Length > decode + 2 ? double.Parse(args[decode + 2], System.Globalization.CultureInfo.InvariantCulture) : 3.0;
    HpackDumpLoop loop = HpackDumpLoop.Load(args[decode + 1]);
    long fields = loop.DecodeAll();
    for (int i = 0; i < 20; i++)
    {
        loop.DecodeAll(); // warm-up: let the tiered JIT finish
    }

    int runs = 0;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    do
    {
        loop.DecodeAll();
        runs++;
    }
    while (clock.Elapsed.TotalSeconds < seconds);
    double per = clock.Elapsed.TotalSeconds / runs;
    Console.WriteLine($"H2Sharp decode corpus: {per * 1e3:F2} ms/op, {loop.WireOctets / per / 1e6:F0} MB/s of wire, {fields / per / 1e6:F1} M headers/s ({loop.WireOctets} wire octets, {fields} fields)");
    return 0;
}

IConfig config = DefaultConfig.Instance.AddColumn([.. ThroughputColumn.All()]);
BenchmarkSwitcher.FromAssembly(typeof(HpackBenchmarks).Assembly).Run(args, config);
return 0;
