using System.Buffers;
using System.Globalization;
using H2.Hpack;
using System.Security.Cryptography;
using System.Text.Json;
using H2.Net.Server;

namespace H2.Examples.Server;

/// <summary>What the example server answers.</summary>
internal static class Routes
{
    private const long MaxBytes = 1L << 30;

    public static Task HandleAsync(H2RequestContext context)
    {
        string path = context.Request.Path;
        int query = path.IndexOf('?', StringComparison.Ordinal);
        string route = query < 0 ? path : path[..query];
        return route switch
        {
            "/" or "/get" => HeadersAsJsonAsync(context),
            "/post" => EchoAsync(context),
            "/trailers" => TrailersAsync(context),
            "/stats" => StatsAsync(context),
            _ when route.StartsWith("/bytes/", StringComparison.Ordinal) => BytesAsync(context, route["/bytes/".Length..]),
            _ when route.StartsWith("/status/", StringComparison.Ordinal) => StatusAsync(context, route["/status/".Length..]),
            _ => TextAsync(context, 404, "not found\n"),
        };
    }

    private static int IndexOf(IReadOnlyList<HeaderField> fields, string name, int start)
    {
        for (int i = start; i < fields.Count; i++)
        {
            if (fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The tutorial's answer: the request headers as a JSON object (like httpbin's /get).</summary>
    private static async Task HeadersAsJsonAsync(H2RequestContext context)
    {
        // A JSON writer and its buffer per thread, taken for the request and put back after it
        // (the response copies the body into the connection's queue before the write completes).
        JsonScratch scratch = JsonScratch.Take();
        Utf8JsonWriter writer = scratch.Writer;
        writer.WriteStartObject();
        IReadOnlyList<HeaderField> fields = context.Request.Headers;
        for (int i = 0; i < fields.Count; i++)
        {
            // As Python's dict(headers): a repeated name keeps its last value, in the place of its first.
            string name = fields[i].Name;
            if (IndexOf(fields, name, 0) == i)
            {
                int last = i;
                for (int next = IndexOf(fields, name, i + 1); next >= 0; next = IndexOf(fields, name, next + 1))
                {
                    last = next;
                }

                writer.WriteString(name, fields[last].Value);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        ReadOnlyMemory<byte> body = scratch.Buffer.WrittenMemory;
        context.Response.Headers.Add(("server", "h2sharp-example/1.0"));
        context.Response.Headers.Add(("content-type", "application/json"));
        context.Response.Headers.Add(("content-length", body.Length.ToString(CultureInfo.InvariantCulture)));
        try
        {
            await context.Response.WriteAsync(body, context.Aborted);
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>A reusable JSON writer and buffer, one cached per thread.</summary>
    private sealed class JsonScratch
    {
        [ThreadStatic]
        private static JsonScratch? t_cached;

        private JsonScratch()
        {
            Writer = new Utf8JsonWriter(Buffer);
        }

        public ArrayBufferWriter<byte> Buffer { get; } = new(512);

        public Utf8JsonWriter Writer { get; }

        public static JsonScratch Take()
        {
            JsonScratch scratch = t_cached ?? new JsonScratch();
            t_cached = null;
            return scratch;
        }

        public void Return()
        {
            Buffer.ResetWrittenCount();
            Writer.Reset(Buffer);
            t_cached = this;
        }
    }

    private static async Task EchoAsync(H2RequestContext context)
    {
        if (context.Request.GetHeader("content-type") is string type)
        {
            context.Response.Headers.Add(("content-type", type));
        }

        await context.Request.Body.CopyToAsync(context.Response.Body, context.Aborted);

        // Trailers sent with the request come back as the response's trailers.
        if (context.Request.Body.Trailers is { Count: > 0 } trailers)
        {
            context.Response.Trailers.AddRange(trailers);
        }
    }

    // One block of random octets serves every /bytes/N: writes copy it into the connection's
    // queue, so streams can share it, and a request costs no 64 KiB of its own.
    private static readonly byte[] s_noise = RandomNumberGenerator.GetBytes(64 * 1024);

    /// <summary>N pseudo-random octets, written as the client's window allows.</summary>
    private static async Task BytesAsync(H2RequestContext context, string count)
    {
        if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out long total) || total > MaxBytes)
        {
            await TextAsync(context, 400, $"/bytes/N takes N from 0 to {MaxBytes}\n");
            return;
        }

        context.Response.Headers.Add(("content-type", "application/octet-stream"));
        context.Response.Headers.Add(("content-length", total.ToString(CultureInfo.InvariantCulture)));
        byte[] chunk = s_noise;
        for (long sent = 0; sent < total; sent += chunk.Length)
        {
            await context.Response.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - sent)), context.Aborted);
        }
    }

    private static Task StatusAsync(H2RequestContext context, string code)
    {
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status is < 200 or > 599)
        {
            return TextAsync(context, 400, "/status/N takes N from 200 to 599\n");
        }

        return TextAsync(context, status, $"status {status}\n");
    }

    private static async Task TrailersAsync(H2RequestContext context)
    {
        context.Response.Headers.Add(("content-type", "text/plain"));
        context.Response.Headers.Add(("trailer", "x-checksum, x-served-at"));
        byte[] body = "the trailers follow this body\n"u8.ToArray();
        await context.Response.WriteAsync(body, context.Aborted);
        context.Response.Trailers.Add(("x-checksum", Convert.ToHexStringLower(SHA256.HashData(body))));
        context.Response.Trailers.Add(("x-served-at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// What the process has spent so far, for benchmarks/alloc-per-request.sh: octets allocated on
    /// the managed heap, CPU time and collections. Two readings around a load run give the cost of
    /// each request in between.
    /// </summary>
    private static Task StatsAsync(H2RequestContext context)
    {
        string json = string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"allocated_bytes\":{GC.GetTotalAllocatedBytes(precise: true)},\"cpu_ms\":{Environment.CpuUsage.TotalTime.TotalMilliseconds:0.###},\"gen0\":{GC.CollectionCount(0)},\"gen1\":{GC.CollectionCount(1)},\"gen2\":{GC.CollectionCount(2)}}}\n");
        context.Response.Headers.Add(("content-type", "application/json"));
        context.Response.Headers.Add(("cache-control", "no-store"));
        return context.Response.WriteAsync(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static async Task TextAsync(H2RequestContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        if (status is 204 or 205 or 304)
        {
            // No content, so no content-type, and no content-length for 204 (RFC 9110 §8.6,
            // §15.3.5); 205 says its empty content outright (§15.3.6).
            if (status == 205)
            {
                context.Response.Headers.Add(("content-length", "0"));
            }

            return;
        }

        // A HEAD request gets the same headers; the response drops the body itself.
        byte[] body = System.Text.Encoding.UTF8.GetBytes(text);
        context.Response.Headers.Add(("content-type", "text/plain; charset=utf-8"));
        context.Response.Headers.Add(("content-length", body.Length.ToString(CultureInfo.InvariantCulture)));
        await context.Response.WriteAsync(body, context.Aborted);
    }
}
