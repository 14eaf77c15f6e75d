using System.Globalization;
using H2.Hpack;
using H2.Net.Session;

namespace H2.Net.Server;

/// <summary>
/// The response to one request. Set <see cref="StatusCode"/> and <see cref="Headers"/>, then write
/// the body (the headers go out with the first write, or when the handler ends); add
/// <see cref="Trailers"/> to end with a trailer section. Writes wait while the client's
/// flow-control window is shut, so memory stays bounded however slowly the client reads.
/// </summary>
public sealed class H2ServerResponse : IMessageHead
{
    private readonly H2ServerSession _session;
    private readonly ServerStream _stream;
    private bool _isHead;
    private Stream? _body;
    private bool _endedByLength;

    internal H2ServerResponse(H2ServerSession session, ServerStream stream, bool isHead = false)
    {
        _session = session;
        _stream = stream;
        _isHead = isHead;
    }

    /// <summary>Makes the response new for the stream's next request.</summary>
    internal void Renew(bool isHead, MinDataRate? minDataRate)
    {
        _isHead = isHead;
        _endedByLength = false;
        _headers?.Clear();
        _trailers?.Clear();
        StatusCode = 200;
        BytesSent = 0;
        MinDataRate = minDataRate;
    }

    /// <summary>Whether no body stream was handed out.</summary>
    internal bool HandedOutNothing => _body is null;

    /// <summary>
    /// The least rate at which the client must take the body while the handler waits to write it,
    /// or <see langword="null"/> for none; starts as <see cref="H2ServerOptions.MinResponseDataRate"/>.
    /// </summary>
    public MinDataRate? MinDataRate { get; set; }

    /// <summary>The status code; 200 unless set. Fixed once the response has started.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>Header fields to send with the status; fixed once the response has started.</summary>
    public List<HeaderField> Headers => _headers ??= new List<HeaderField>(4);

    private List<HeaderField>? _headers;
    private List<HeaderField>? _trailers;

    /// <summary>
    /// Trailer fields, sent after the body when the response completes. With a content-length
    /// header, the write that completes the body ends the response, so add trailers before it.
    /// </summary>
    public List<HeaderField> Trailers => _trailers ??= [];

    private bool HasTrailers => _trailers is { Count: > 0 };

    /// <summary>Whether the status and headers have been sent (or the stream is gone, so they never can be).</summary>
    public bool HasStarted => _session.HasStarted(_stream);

    /// <summary>Whether the response has ended (END_STREAM sent, or the stream reset).</summary>
    public bool IsCompleted => _session.LocallyEnded(_stream);

    /// <summary>Body octets sent so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>The stream the response goes out on.</summary>
    public int StreamId => _stream.Id;

    /// <summary>The body as a writable stream.</summary>
    public Stream Body => _body ??= new ResponseBodyStream(this);

    /// <summary>Sends an informational (1xx) response, for example 103 Early Hints, before the final one.</summary>
    /// <param name="statusCode">100 to 199, not 101.</param>
    /// <param name="headers">Fields to send with it.</param>
    /// <returns>A completed task once queued.</returns>
    /// <exception cref="InvalidOperationException">The final response has started.</exception>
    public Task SendInformationalAsync(int statusCode, IEnumerable<HeaderField>? headers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 199);
        if (HasStarted)
        {
            throw new InvalidOperationException("The final response has already started.");
        }

        List<HeaderField> fields = [(":status", statusCode.ToString(CultureInfo.InvariantCulture)), .. headers ?? []];
        _session.Do(c =>
        {
            c.SendHeaders(_stream.Id, fields);
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <summary>Sends the status and headers now, without ending the response.</summary>
    /// <returns>A completed task once queued.</returns>
    public Task StartAsync()
    {
        Start(endStream: false);
        return Task.CompletedTask;
    }

    /// <summary>Writes body data, starting the response if needed; waits while flow control or the transport holds it back.</summary>
    /// <param name="data">The data.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once the data is queued.</returns>
    /// <remarks>
    /// A response to HEAD has no content (RFC 9110 §9.3.2): the first write sends the headers,
    /// ending the stream, and the data of every write is dropped, so one handler serves GET and
    /// HEAD alike. A 204, 205 or 304 response has no content either (RFC 9110 §15.3.5, §15.3.6,
    /// §15.4.5): writing data to one throws.
    /// </remarks>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (_isHead)
        {
            Start(endStream: true);
            return Task.CompletedTask;
        }

        if (_endedByLength)
        {
            return Task.FromException(new InvalidOperationException("The response has completed."));
        }

        if (!data.IsEmpty && StatusCode is 204 or 205 or 304)
        {
            return Task.FromException(new InvalidOperationException($"A {StatusCode} response has no content (RFC 9110 §15); its body cannot be written."));
        }

        // The headers go in the same step as the first data, and the write that completes a
        // declared content-length ends the stream with its last DATA frame, sparing an empty
        // frame (and a trip through the connection) when the handler returns.
        ValueTask<bool> write = _session.WriteAsync(_stream, this, data, endStream: false, endAtContentLength: !HasTrailers && !HeaderLookup.Contains(_headers, "trailer"), cancellationToken);
        if (write.IsCompletedSuccessfully)
        {
            Wrote(data.Length, write.Result);
            return Task.CompletedTask;
        }

        return AwaitWriteAsync(write, data.Length);
    }

    private async Task AwaitWriteAsync(ValueTask<bool> write, int length) => Wrote(length, await write.ConfigureAwait(false));

    private void Wrote(int length, bool ended)
    {
        BytesSent += length;
        _endedByLength |= ended;
    }

    /// <summary>
    /// Ends the response: sends the headers if they have not gone yet, then the trailers or an
    /// empty END_STREAM. Called for the handler when it returns; calling it again does nothing.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once the end is queued.</returns>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_endedByLength && HasTrailers)
        {
            throw new InvalidOperationException("Trailers were added after the body reached its content-length, which ended the response; add them before the last write, or announce them with a trailer header field (RFC 9110 §6.6.2), which keeps the response open for them.");
        }

        if (!HasTrailers || _isHead)
        {
            // The headers and END_STREAM in one step when nothing has gone yet; a response to
            // HEAD ends with its headers, and trailers, which follow content, have no place.
            await _session.WriteAsync(_stream, this, ReadOnlyMemory<byte>.Empty, endStream: true, endAtContentLength: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Start(endStream: false);
            _session.SendHeaderBlock(_stream, _trailers!, endStream: true);
        }
    }

    /// <summary>
    /// Pushes a response the client will want (RFC 9113 §8.4): a GET of <paramref name="path"/> on
    /// this request's authority. Returns the pushed stream's response to fill in and complete, or
    /// <see langword="null"/> if the client does not accept pushes.
    /// </summary>
    /// <param name="path">The path of the promised request.</param>
    /// <param name="headers">More request fields of the promised request.</param>
    /// <returns>The pushed response, or <see langword="null"/>.</returns>
    public H2ServerResponse? Push(string path, IEnumerable<HeaderField>? headers = null) => _session.Push(_stream, path, headers);

    // A response to HEAD has no content, so its headers end the stream (RFC 9113 §8.1).
    private void Start(bool endStream) => _session.SendHead(_stream, this, endStream || _isHead);

    /// <summary>The status and headers, as sent: built when they are about to go.</summary>
    IReadOnlyList<HeaderField> IMessageHead.Build(MessageHeadView view) => view.Show((":status", StatusText.For(StatusCode)), _headers);

    /// <summary>The response body as a write-only stream.</summary>
    private sealed class ResponseBodyStream(H2ServerResponse response) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(response.WriteAsync(buffer, cancellationToken));

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            response.WriteAsync(buffer.AsMemory(offset, count), cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => response.WriteAsync(buffer.AsMemory(offset, count)).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
