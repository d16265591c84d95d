package org.wardfleet.support;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

/**
 * Counts the database round trips a request makes: every command the application's driver sends is recorded (name,
 * collection, command text). {@link #mentioning} keeps those that mention one of the given markers (an organisation's
 * or a device's id, an invitation's secret hash), so the engine loops and sweeps running meanwhile do not count.
 * Import it with {@code @Import(MongoCommands.class)}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MongoCommands {

    /** One command as sent: {@code name} e.g. {@code find}, {@code collection} e.g. {@code devices}. */
    public record Command(String name, String collection, String text) {
        @Override
        public String toString() {
            return name + " " + collection;
        }
    }

    private final ConcurrentLinkedQueue<Command> sent = new ConcurrentLinkedQueue<>();

    @Bean
    CommandListener recordingCommandListener() {
        return new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                String name = event.getCommandName();
                org.bson.BsonValue target = event.getCommand().get(name);
                String collection = target != null && target.isString() ? target.asString().getValue() : "";
                sent.add(new Command(name.toLowerCase(Locale.ROOT), collection, event.getCommand().toJson()));
            }
        };
    }

    /** Every command sent while {@code action} ran (engine loops and sweeps included), in the order sent. */
    public List<Command> during(Runnable action) {
        sent.clear();
        action.run();
        return List.copyOf(sent);
    }

    /** Those of {@code commands} that mention any of {@code markers}: one request's, not the engine loops'. */
    public static List<Command> mentioning(List<Command> commands, String... markers) {
        return commands.stream().filter(c -> mentionsAny(c.text(), markers)).toList();
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
