using H2.Headers;
using H2.Hpack;

namespace H2.Connection;

/// <summary>A peer's whole header block, decoded and checked in one walk: what <see cref="MessageReceiver"/> turns into a message.</summary>
/// <param name="Fields">The fields in order (cookies joined when inbound normalization is on).</param>
/// <param name="Violation">The first field rule the block broke, if any.</param>
/// <param name="Info">The pseudo-header fields, status and content-length.</param>
/// <param name="ListError">Why the block was refused as over our header list limit, or <see langword="null"/>.</param>
internal readonly record struct ReceivedBlock(HeaderField[] Fields, HeaderViolation Violation, MessageInfo Info, string? ListError);
