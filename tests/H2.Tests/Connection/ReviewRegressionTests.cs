using CsCheck;
using H2.Connection;
using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>Regressions for defects found in review, each named for the behaviour it pins down.</summary>
public class ReviewRegressionTests
{
    [Fact]
    public void ContentLengthMismatchAtEndStream_StillCreditsTheConnectionWindow()
    {
        RawPeer peer = ForServer();
        for (int id = 1; id <= 5; id += 2)
        {
            peer.Send(peer.Headers(id, [.. Post(), ("content-length", "100000")]));
            foreach (Event @event in peer.Send(Body(id, 30000, endStream: true)))
            {
                if (@event is DataReceived data)
                {
                    peer.Connection.AcknowledgeReceivedData(data.FlowControlledLength, id);
                }
            }
        }

        // Every octet came back: 90,000 octets flowed through a 65,535-octet window without error.
        Assert.False(peer.Connection.IsClosed);
        peer.Send(peer.Headers(7, Post()));
        Assert.Equal(65535, peer.Connection.RemoteFlowControlWindow(7) + (65535 - peer.Connection.RemoteFlowControlWindow(7)));
        peer.Send(Body(7, 60000));
    }

    [Fact]
    public void SelfDependentPriorityOnAnIdleStream_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PriorityFrame.Write(w, 5, new StreamPriority(5)))).ErrorCode);
        Assert.Empty(peer.Received().OfType<RstStreamFrame>());
    }

    [Fact]
    public void GoAwayLastStream_NeverGrowsAfterRefusedStreams()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        peer.Connection.CloseConnection();
        peer.Send(peer.Headers(3, Get(), endStream: true));
        peer.Connection.CloseConnection(ErrorCode.InternalError);
        Assert.Equal([1, 1], peer.Received().OfType<GoAwayFrame>().Select(f => f.LastStreamId));

        RawPeer failing = ForServer();
        failing.Send(failing.Headers(1, Get(), endStream: true));
        failing.Connection.CloseConnection();
        failing.Send(failing.Headers(3, Get(), endStream: true));
        failing.SendExpectingError(Write(w => UnknownFrame.Write(w, FrameType.Data, 0, 0, [1])));
        Assert.Equal([1, 1], failing.Received().OfType<GoAwayFrame>().Select(f => f.LastStreamId));
    }

    [Fact]
    public void UpgradedClient_UsesItsSettingsFromTheStart()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true, MaxFrameSize = 65535 });
        client.InitiateUpgradeConnection();
        Assert.Equal(65535, client.MaxInboundFrameSize);
        client.ReceiveData([.. Write(w => SettingsFrame.Write(w, [])), .. Write(w => HeadersFrame.Write(w, 1, new H2.Hpack.HpackEncoder().Encode(Ok()), 16384)), .. Data(1, new byte[30000], endStream: true)]);
        Assert.False(client.IsClosed);
    }

    [Fact]
    public void UpgradeAfterInitiation_ThrowsWithoutChangingState()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        Assert.Throws<InvalidOperationException>(() => client.InitiateUpgradeConnection());
        Assert.Equal(0, client.OpenOutboundStreams);
        Assert.Equal(1, client.GetNextAvailableStreamId());
    }

    [Fact]
    public void UpgradedHeadRequest_GetsAResponseWithoutContent()
    {
        var server = new H2Connection();
        server.InitiateUpgradeConnection(string.Empty, "HEAD");
        server.SendHeaders(1, Ok(("content-length", "100")), endStream: true);
    }

    [Fact]
    public void PushBeforeOurDisablingIsAcknowledged_OnlyRefusesThePromise()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        client.ReceiveData(Write(w => SettingsFrame.Write(w, []))); // no ACK for our ENABLE_PUSH = 0 yet
        client.SendHeaders(1, Get(), endStream: true);
        client.DataToSend();
        var encoder = new H2.Hpack.HpackEncoder();
        Assert.Empty(client.ReceiveData(Write(w => PushPromiseFrame.Write(w, 1, 2, encoder.Encode(Get("/a")), 16384))));
        Assert.False(client.IsClosed);
        var collector = new FrameCollector();
        new FrameReader().Read(client.DataToSend(), collector);
        Assert.Equal(ErrorCode.RefusedStream, Assert.Single(collector.Frames.OfType<RstStreamFrame>()).ErrorCode);
    }

    [Fact]
    public void PushedResponsesBeyondOurLimit_AreRefused()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true, MaxConcurrentStreams = 1 });
        peer.Connection.SendHeaders(1, Get());
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/a")), 16384)));

        // A third reserved stream is over the limit of 1 with stream 2 reserved.
        IReadOnlyList<Event> refused = peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 4, peer.Encoder.Encode(Get("/b")), 16384)));
        Assert.True(refused.Count == 0, string.Join(", ", refused));
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(4));

        // Stream 2's response makes it the one active pushed stream; stream 6's would be a second.
        Assert.IsType<ResponseReceived>(peer.Send(peer.Headers(2, Ok()))[0]);
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 6, peer.Encoder.Encode(Get("/c")), 16384)));
        var reset = Assert.IsType<StreamReset>(Assert.Single(peer.Send(peer.Headers(6, Ok()))));
        Assert.Equal(ErrorCode.RefusedStream, reset.ErrorCode);
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(6));
        Assert.Equal(1, peer.Connection.OpenInboundStreams);
    }

    [Fact]
    public void PromiseAfterOurGoAway_IsRefused()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Connection.CloseConnection();
        peer.Received();
        Assert.Empty(peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/a")), 16384))));
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(2));
    }

    [Fact]
    public void PushOnAPushedStream_IsRefusedBothWays()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, EnablePush = true });
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        pair.Server.PushStream(1, 2, Get("/a"));
        pair.Server.SendHeaders(2, Ok());
        Assert.Throws<ProtocolException>(() => pair.Server.PushStream(2, 4, Get("/b")));

        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/a")), 16384)), peer.Headers(2, Ok()));
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 2, 4, peer.Encoder.Encode(Get("/b")), 16384))).ErrorCode);
    }

    [Fact]
    public void HeadersDependingOnThemselves_AreRefusedLocally()
    {
        var pair = new ConnectionPair();
        Assert.Throws<ArgumentException>(() => pair.Client.SendHeaders(1, Get(), priority: new StreamPriority(1)));
        Assert.Equal(0, pair.Client.OutboundDataLength);
    }

    [Fact]
    public void OutboundQueue_KeepsOrderAndBytes_WhateverTheMixOfWritesLoansAndTakes()
    {
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 24000]).Array[1, 60].Sample(operations =>
        {
            var queue = new OutboundQueue();
            var expected = new List<byte>();
            byte next = 0;
            foreach (var (kind, size) in operations)
            {
                switch (kind)
                {
                    case 0:
                        Span<byte> span = queue.GetSpan(size % 20000);
                        int count = Math.Min(size % 20000, span.Length);
                        for (int i = 0; i < count; i++)
                        {
                            span[i] = next;
                            expected.Add(next++);
                        }

                        queue.Advance(count);
                        break;
                    case 1:
                        byte[] loan = new byte[size % 300];
                        for (int i = 0; i < loan.Length; i++)
                        {
                            loan[i] = next;
                            expected.Add(next++);
                        }

                        queue.Append(loan);
                        break;
                    default:
                        int take = (int)Math.Min(size, queue.Length);
                        ReadOnlyMemory<byte> first = queue.Peek();
                        if (!first.IsEmpty)
                        {
                            Assert.Equal(expected[0], first.Span[0]);
                        }

                        byte[] taken = queue.Take(take);
                        Assert.Equal(expected.Take(take), taken);
                        expected.RemoveRange(0, take);
                        break;
                }

                Assert.Equal(expected.Count, queue.Length);
            }

            Assert.Equal(expected, queue.Take(long.MaxValue));
            Assert.True(queue.Peek().IsEmpty);
        }, iter: 300);
    }
}
