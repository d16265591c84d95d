package org.wardfleet.benchmark;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

/**
 * A simulated phone's WebSocket in the benchmark's simulator JVM: plain Netty (HTTP codec, the RFC 6455 client
 * handshake, text frames; TLS first for a {@code wss://} address, {@link FleetSimulator#TLS}), on the same kind of
 * two-thread event loop group as the Mosquitto baseline's MQTT clients —
 * so both arms of the benchmark pay the same, small, per-phone client cost on the shared cores. Test code only.
 */
final class LeanSocket {

    private final Channel channel;

    private LeanSocket(Channel channel) {
        this.channel = channel;
    }

    /**
     * Connects and completes the opening handshake; every text frame after that goes to {@code onText} on the
     * socket's event loop (one at a time, in order).
     */
    static CompletableFuture<LeanSocket> connect(EventLoopGroup group, URI uri, Map<String, String> headers,
            BiConsumer<LeanSocket, String> onText) {
        CompletableFuture<LeanSocket> opened = new CompletableFuture<>();
        HttpHeaders extra = new DefaultHttpHeaders();
        headers.forEach(extra::set);
        LeanSocket[] self = new LeanSocket[1];
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        self[0] = new LeanSocket(ch);
                        if ("wss".equals(uri.getScheme())) {
                            ch.pipeline().addLast(FleetSimulator.TLS.newHandler(ch.alloc(), uri.getHost(),
                                    uri.getPort()));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                        uri, WebSocketVersion.V13, null, false, extra, 1024 * 1024)),
                                new WebSocketFrameAggregator(1024 * 1024),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                .HANDSHAKE_COMPLETE) {
                                            opened.complete(self[0]);
                                        }
                                        ctx.fireUserEventTriggered(event);
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                        try {
                                            onText.accept(self[0], frame.text());
                                        } catch (RuntimeException e) {
                                            System.err.println("phone failed on a frame: " + e); // said, not lost
                                            throw e;
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        opened.completeExceptionally(new IllegalStateException("closed: " + uri));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        opened.completeExceptionally(cause);
                                        ctx.close();
                                    }
                                });
                    }
                });
        bootstrap.connect(uri.getHost(), uri.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    void close() {
        channel.close();
    }
}
