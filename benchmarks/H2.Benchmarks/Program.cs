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

IConfig config = DefaultConfig.Instance.AddColumn([.. ThroughputColumn.All()]);
BenchmarkSwitcher.FromAssembly(typeof(HpackBenchmarks).Assembly).Run(args, config);
return 0;
