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

IConfig config = DefaultConfig.Instance.AddColumn([.. ThroughputColumn.All()]);
BenchmarkSwitcher.FromAssembly(typeof(HpackBenchmarks).Assembly).Run(args, config);
return 0;
