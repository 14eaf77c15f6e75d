using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace H2.Benchmarks;

/// <summary>Adds operations per second, MB/s and items (headers or frames) per second to the summary table.</summary>
internal sealed class ThroughputColumn(string name, Func<string, double?> perOperation) : IColumn
{
    public static IEnumerable<IColumn> All() =>
    [
        new ThroughputColumn("ops/s", _ => 1),
        new RequestsColumn(),
        new ThroughputColumn("MB/s", method => method switch
        {
            nameof(HpackBenchmarks.DecodeCorpus) => HpackBenchmarks.CorpusWireBytes / 1e6,
            nameof(HpackBenchmarks.EncodeCorpus) => HpackBenchmarks.RawTextBytes / 1e6,
            nameof(FrameBenchmarks.Parse) or nameof(FrameBenchmarks.ParseChunked) or nameof(FrameBenchmarks.Serialize) => FrameBenchmarks.Capture.Length / 1e6,
            nameof(BulkDataBenchmarks.Transfer) or nameof(BulkDataBenchmarks.Memcpy) => BulkDataBenchmarks.BodyLength / 1e6,
            _ => null,
        }),
        new ThroughputColumn("items/s", method => method switch
        {
            nameof(HpackBenchmarks.DecodeCorpus) => HpackBenchmarks.CorpusHeaders,
            nameof(HpackBenchmarks.EncodeCorpus) => Corpus.RawStories.Sum(s => s.Cases.Sum(c => c.Headers.Count)),
            nameof(HpackBenchmarks.EncodeDecodeRequest) => HpackBenchmarks.Request.Length,
            nameof(ConnectionBenchmarks.Exchange) => null,
            nameof(FrameBenchmarks.Parse) or nameof(FrameBenchmarks.ParseChunked) or nameof(FrameBenchmarks.Serialize) => FrameBenchmarks.FramesPerCapture,
            _ => null,
        }),
    ];

    public string Id => nameof(ThroughputColumn) + name;

    /// <summary>Requests per second and allocated bytes per request for the connection exchange.</summary>
    private sealed class RequestsColumn : IColumn
    {
        public string Id => nameof(RequestsColumn);

        public string ColumnName => "requests/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 1;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Requests per second (connection exchange: Concurrency requests per op)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(ConnectionBenchmarks.Exchange)
                || summary[benchmarkCase]?.ResultStatistics?.Mean is not double ns)
            {
                return "-";
            }

            int concurrency = (int)benchmarkCase.Parameters[nameof(ConnectionBenchmarks.Concurrency)];
            return (concurrency * 1e9 / ns).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => name switch
    {
        "MB/s" => "Megabytes (10^6) per second: wire octets decoded or parsed, text octets encoded, octets serialized",
        "items/s" => "Header fields or frames per second",
        _ => "Operations per second",
    };

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? amount = perOperation(benchmarkCase.Descriptor.WorkloadMethod.Name);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return amount is double a && meanNs is double ns && ns > 0 ? (a * 1e9 / ns).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
