package org.wardfleet.support;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;

/**
 * Counts the database round trips a request makes: every command the application's driver sends is recorded (name,
 * collection, command text). {@link #mentioning} keeps those that mention one of the given markers (an organisation's
 * or a device's id, an invitation's secret hash), so the engine loops and sweeps running meanwhile do not count.
 * Import it with {@code @Import(MongoCommands.class)}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MongoCommands {

    /** One command as sent: {@code name} e.g. {@code find}, {@code collection} e.g. {@code devices}. */
    public record Command(String name, String collection, String text, int requestId, long startedAt) {
        @Override
        public String toString() {
            return name + " " + collection;
        }
    }

    private final ConcurrentLinkedQueue<Command> sent = new ConcurrentLinkedQueue<>();
    /** When each command's reply came (System.nanoTime), by request id. */
    private final java.util.Map<Integer, Long> answered = new java.util.concurrent.ConcurrentHashMap<>();

    @Bean
    CommandListener recordingCommandListener() {
        return new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                String name = event.getCommandName();
                org.bson.BsonValue target = event.getCommand().get(name);
                String collection = target != null && target.isString() ? target.asString().getValue() : "";
                sent.add(new Command(name.toLowerCase(Locale.ROOT), collection, event.getCommand().toJson(),
                        event.getRequestId(), System.nanoTime()));
            }

            @Override
            public void commandSucceeded(CommandSucceededEvent event) {
                answered.put(event.getRequestId(), System.nanoTime());
            }

            @Override
            public void commandFailed(CommandFailedEvent event) {
                answered.put(event.getRequestId(), System.nanoTime());
            }
        };
    }

    /** Every command sent while {@code action} ran (engine loops and sweeps included), in the order sent. */
    public List<Command> during(Runnable action) {
        sent.clear();
        answered.clear();
        action.run();
        return List.copyOf(sent);
    }

    /** Those of {@code commands} that mention any of {@code markers}: one request's, not the engine loops'. */
    public static List<Command> mentioning(List<Command> commands, String... markers) {
        return commands.stream().filter(c -> mentionsAny(c.text(), markers)).toList();
    }

    /**
     * How many of {@code commands} were sent only after every earlier one had been answered: the round trips a
     * request waited for one after the other. Timing-based, so only an upper bound (two commands sent at once may
     * happen not to overlap on a busy machine): print it, do not assert it.
     */
    public int inARow(List<Command> commands) {
        int steps = 0;
        long lastAnswer = Long.MIN_VALUE;
        for (Command c : commands) {
            if (c.startedAt() > lastAnswer) {
                steps++;
            }
            lastAnswer = Math.max(lastAnswer, answered.getOrDefault(c.requestId(), Long.MAX_VALUE));
        }
        return steps;
    }

    public String timeline(List<Command> commands) {
        long t0 = commands.isEmpty() ? 0 : commands.get(0).startedAt();
        StringBuilder out = new StringBuilder();
        for (Command c : commands) {
            out.append(String.format("%n  %6d..%6d us %s", (c.startedAt() - t0) / 1000,
                    (answered.getOrDefault(c.requestId(), t0) - t0) / 1000, c));
        }
        return out.toString();
    }

    private static boolean mentionsAny(String text, String... markers) {
        for (String marker : markers) {
            if (marker != null && text.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
