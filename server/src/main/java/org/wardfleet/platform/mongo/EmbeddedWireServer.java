package org.wardfleet.platform.mongo;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import de.bwaldvogel.mongo.wire.message.ClientRequest;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import de.bwaldvogel.mongo.wire.message.MongoReply;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The embedded MongoDB-wire server: mongo-java-server's protocol codec and storage backends, with Wardfleet's own
 * request handler in front of them, which the library's {@code MongoServer} does not let one replace. The handler adds
 * three things the library lacks:
 * <ul>
 * <li>authentication (SCRAM-SHA-256): on loopback, any local account could otherwise connect and read or write the
 * data; until a connection has authenticated it may only say hello and authenticate;</li>
 * <li>durable replies: a reply is sent only once what it reports is on disk ({@link Storage#run});</li>
 * <li>loud storage failure: while the store cannot keep writes, writes are answered with
 * {@link StorageErrors#CODE} ("storage-unavailable") at once, and reads go on against what is on disk.</li>
 * </ul>
 */
final class EmbeddedWireServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedWireServer.class);
    private static final AttributeKey<Boolean> AUTHENTICATED = AttributeKey.valueOf("wardfleet.authenticated");
    private static final AttributeKey<ScramSha256.Exchange> EXCHANGE = AttributeKey.valueOf("wardfleet.scram");
    /**
     * What a connection may do before it has authenticated (drivers' monitoring connections never do): none of these
     * touches data, so they are answered on the network thread at once.
     */
    private static final Set<String> BEFORE_AUTHENTICATION = Set.of("ismaster", "hello", "saslstart",
            "saslcontinue", "ping", "buildinfo", "endsessions");
    /** Commands that change data: refused at once while storage cannot keep writes. */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "create",
            "createindexes", "drop", "dropdatabase", "dropindexes", "renamecollection");

    /** What the handler runs commands against: the current backend, behind durability and availability. */
    interface Storage {
        /** The backend now serving (it is replaced when the store is reopened). */
        MongoBackend backend();

        /** Runs a command and says when its reply may be sent ({@code write}: it may change data). */
        <T> DurableWrites.Result<T> run(java.util.function.Supplier<T> command, boolean write);

        /** Null while writes are kept; otherwise why not. */
        String unavailable();

        /** A command failed inside the store: the store may have failed. */
        void commandFailed(RuntimeException error);
    }

    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("embedded-mongo-boss", true));
    private final EventLoopGroup workers = new NioEventLoopGroup(0,
            new DefaultThreadFactory("embedded-mongo-worker", true));
    /** Where storage commands run: as many threads as the library's own server had network threads. */
    private final java.util.concurrent.ExecutorService commands = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("embedded-mongo-command", true));
    private final Channel channel;

    EmbeddedWireServer(Storage storage, ScramSha256 credentials, String host, int port) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 100)
                .localAddress(new InetSocketAddress(host, port))
                .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MongoWireReplyEncoder());
                        ch.pipeline().addLast(new MongoWireMessageEncoder());
                        ch.pipeline().addLast(new MongoWireProtocolHandler());
                        ch.pipeline().addLast(new Handler(storage, credentials, commands));
                        ch.pipeline().addLast(new MongoExceptionHandler());
                    }
                });
        this.channel = bootstrap.bind().syncUninterruptibly().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        commands.shutdownNow();
    }

    /** One per connection (it holds no state of its own beyond the connection's attributes). */
    private static final class Handler extends SimpleChannelInboundHandler<ClientRequest> {

        private static final AtomicInteger REPLY_IDS = new AtomicInteger();
        private final Storage storage;
        private final ScramSha256 credentials;
        private final java.util.concurrent.Executor commands;

        Handler(Storage storage, ScramSha256 credentials, java.util.concurrent.Executor commands) {
            this.storage = storage;
            this.credentials = credentials;
            this.commands = commands;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            try {
                storage.backend().handleClose(ctx.channel());
            } finally {
                super.channelInactive(ctx);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ClientRequest request) {
            Channel ch = ctx.channel();
            MessageHeader header = new MessageHeader(REPLY_IDS.incrementAndGet(), request.getHeader().getRequestID());
            if (request instanceof MongoMessage message) {
                Document command = message.getDocument();
                String name = command.keySet().iterator().next();
                reply(ch, execute(ch, message.getDatabaseName(), name, command,
                        () -> storage.backend().handleMessage(message)), document -> new MongoMessage(ch, header,
                                document));
            } else if (request instanceof MongoQuery query) {
                query(ch, header, query);
            } else {
                throw new MongoServerException("unknown message: " + request);
            }
        }

        /** OP_QUERY: drivers use it only for the first handshake ({@code isMaster}) of each connection. */
        private void query(Channel ch, MessageHeader header, MongoQuery query) {
            if (!query.getCollectionName().startsWith("$cmd")) {
                reply(ch, failed(new MongoServerError(13, "Unauthorized", "legacy queries are not served")),
                        document -> new MongoReply(header, List.of(document), 0));
                return;
            }
            Document command = query.getQuery();
            String name = command.keySet().iterator().next();
            if ("$query".equals(name)) {
                command = (Document) command.get("$query");
                name = command.keySet().iterator().next();
            }
            Document actual = command;
            String commandName = name;
            reply(ch, execute(ch, query.getDatabaseName(), commandName, actual,
                    () -> storage.backend().handleCommand(ch, query.getDatabaseName(), commandName, actual)),
                    document -> new MongoReply(header, List.of(document), 0));
        }

        private CompletableFuture<Document> execute(Channel ch, String database, String name, Document command,
                java.util.function.Supplier<Document> run) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("saslstart") || lower.equals("saslcontinue")) {
                return CompletableFuture.completedFuture(authenticate(ch, lower, command));
            }
            if (!Boolean.TRUE.equals(ch.attr(AUTHENTICATED).get()) && !BEFORE_AUTHENTICATION.contains(lower)) {
                return failed(new MongoServerError(13, "Unauthorized", "command " + name + " requires authentication"));
            }
            if (lower.equals("ping")) {
                return CompletableFuture.completedFuture(new Document("ok", 1.0));
            }
            if (BEFORE_AUTHENTICATION.contains(lower)) {
                // hello and the like touch no data: answered here at once, so that a driver's heartbeat never waits
                // behind a long command (a heartbeat that times out makes the driver drop every pooled connection)
                try {
                    return CompletableFuture.completedFuture(run.get());
                } catch (MongoServerException e) {
                    return failed(e);
                }
            }
            String unavailable = storage.unavailable();
            if (unavailable != null && WRITES.contains(lower)) {
                return failed(StorageErrors.refusal(unavailable));
            }
            // storage commands run on their own threads, never on the network threads (see above)
            return CompletableFuture.supplyAsync(() -> command(database, name, lower, run), commands)
                    .thenCompose(result -> result);
        }

        private CompletableFuture<Document> command(String database, String name, String lower,
                java.util.function.Supplier<Document> run) {
            DurableWrites.Result<Document> result;
            try {
                result = storage.run(run, WRITES.contains(lower));
            } catch (MongoServerException e) {
                return failed(e);
            } catch (RuntimeException e) {
                storage.commandFailed(e);
                String now = storage.unavailable();
                if (now != null) {
                    return failed(StorageErrors.refusal(now));
                }
                log.warn("Embedded storage could not run {} on {}: {}", name, database, e.toString());
                return failed(new MongoServerException("Unknown error: " + e.getMessage(), e));
            }
            return result.durable()
                    .thenApply(durable -> result.value())
                    .exceptionally(error -> errorDocument(StorageErrors.refusal(
                            "the write could not be kept on disk (" + rootMessage(error) + ")")));
        }

        private Document authenticate(Channel ch, String step, Document command) {
            try {
                Object payload = command.get("payload");
                byte[] in = payload instanceof BinData data ? data.getData() : new byte[0];
                byte[] out;
                if (step.equals("saslstart")) {
                    if (!ScramSha256.MECHANISM.equals(command.get("mechanism"))) {
                        throw new ScramSha256.Failed("unsupported mechanism");
                    }
                    ScramSha256.Exchange exchange = credentials.exchange();
                    out = exchange.first(in);
                    ch.attr(EXCHANGE).set(exchange);
                    return new Document("conversationId", 1).append("done", Boolean.FALSE)
                            .append("payload", new BinData(out)).append("ok", 1.0);
                }
                ScramSha256.Exchange exchange = ch.attr(EXCHANGE).getAndSet(null);
                if (exchange == null) {
                    throw new ScramSha256.Failed("no exchange");
                }
                out = exchange.last(in);
                ch.attr(AUTHENTICATED).set(Boolean.TRUE);
                return new Document("conversationId", 1).append("done", Boolean.TRUE)
                        .append("payload", new BinData(out)).append("ok", 1.0);
            } catch (ScramSha256.Failed failed) {
                log.warn("Refused a connection to the embedded database from {}: authentication failed",
                        ch.remoteAddress());
                return errorDocument(new MongoServerError(18, "AuthenticationFailed", "Authentication failed."));
            }
        }

        private static CompletableFuture<Document> failed(MongoServerException error) {
            return CompletableFuture.completedFuture(errorDocument(error));
        }

        private static Document errorDocument(MongoServerException exception) {
            Document error = new Document();
            error.put("$err", exception.getMessageWithoutErrorCode());
            error.put("errmsg", exception.getMessageWithoutErrorCode());
            if (exception instanceof MongoServerError known) {
                error.put("code", known.getCode());
                error.putIfNotNull("codeName", known.getCodeName());
            }
            error.put("ok", 0);
            return error;
        }

        private static String rootMessage(Throwable error) {
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }

        private static <M> void reply(Channel ch, CompletableFuture<Document> document,
                java.util.function.Function<Document, M> message) {
            document.whenComplete((value, error) -> {
                Document body = error == null ? value
                        : errorDocument(new MongoServerException("Unknown error: " + rootMessage(error)));
                ch.writeAndFlush(message.apply(body));
            });
        }
    }
}
