package org.wardfleet.messaging.internal;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.messaging.MessagingProblems;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.PriorityWord;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** Conversations and messages for people; the device inbox and receipts for devices. */
@RestController
class MessagingController {

    private final Conversations conversations;
    private final Dispatch dispatch;
    private final Receipts receipts;
    private final DeviceInbox deviceInbox;
    private final UserSignals signals;
    private final ConversationLists conversationLists;

    MessagingController(Conversations conversations, Dispatch dispatch, Receipts receipts, DeviceInbox deviceInbox,
            UserSignals signals, ConversationLists conversationLists) {
        this.conversations = conversations;
        this.dispatch = dispatch;
        this.receipts = receipts;
        this.deviceInbox = deviceInbox;
        this.signals = signals;
        this.conversationLists = conversationLists;
    }

    record NewConversation(@NotEmpty @Size(max = 500) List<@NotBlank @Size(max = 64) String> participants) {
    }

    record ConversationView(String id, List<String> participants, String createdBy, Instant createdAt) {
    }

    @Operation(summary = "Start a conversation")
    @ApiResponse(responseCode = "201", description = "The conversation")
    @Problems({"403 forbidden", "400 conversation-invalid"})
    @PostMapping("/api/v1/conversations")
    Mono<ResponseEntity<ConversationView>> start(Caller caller, @Valid @RequestBody NewConversation body) {
        caller.requireAny(Role.CLINICIAN, Role.ADMIN);
        return conversations.start(caller.orgId(), caller.userId(), body.participants())
                .map(c -> ResponseEntity.created(URI.create("/api/v1/conversations/" + c.id()))
                        .body(new ConversationView(c.id(), c.participants(), c.createdBy(), c.createdAt())));
    }

    /** A list shows at most this many participants of a conversation (a broadcast's has thousands). */
    static final int LISTED_PARTICIPANTS = 50;

    /**
     * {@code participants}: the first {@value #LISTED_PARTICIPANTS}, with {@code participantCount} all of them;
     * {@code names}: display names of those shown and of {@code createdBy}.
     */
    record ConversationSummary(String id, List<String> participants, int participantCount,
            java.util.Map<String, String> names, String createdBy, Instant createdAt) {
    }

    record ConversationList(List<ConversationSummary> items, int page, int size, long total) {
    }

    /**
     * The caller's own conversations, newest first, without messages — whatever their role: nobody lists other
     * people's conversations. Cost: the embedded database reads the organisation's conversations for it.
     */
    @Operation(summary = "List your own conversations, newest first")
    @GetMapping("/api/v1/conversations")
    Mono<ConversationList> conversations(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        org.wardfleet.platform.web.PageRequest request = org.wardfleet.platform.web.PageRequest.of(page, size);
        return conversationLists.of(caller.orgId(), caller.userId(), request.skip(), request.size())
                .collectList()
                .flatMap(list -> summaries(caller.orgId(), list))
                .zipWith(conversationLists.count(caller.orgId(), caller.userId()))
                .map(t -> new ConversationList(t.getT1(), page, size, t.getT2()));
    }

    private Mono<List<ConversationSummary>> summaries(String orgId, List<Conversation> list) {
        java.util.Set<String> people = new java.util.LinkedHashSet<>();
        list.forEach(c -> {
            people.addAll(shown(c));
            people.add(c.createdBy());
        });
        return conversationLists.displayNames(orgId, people).map(named -> list.stream().map(c -> {
            java.util.Map<String, String> these = new java.util.LinkedHashMap<>();
            java.util.stream.Stream.concat(shown(c).stream(), java.util.stream.Stream.of(c.createdBy()))
                    .filter(named::containsKey).forEach(u -> these.put(u, named.get(u)));
            return new ConversationSummary(c.id(), shown(c), c.participants().size(), these, c.createdBy(),
                    c.createdAt());
        }).toList());
    }

    private static List<String> shown(Conversation c) {
        return c.participants().size() <= LISTED_PARTICIPANTS ? c.participants()
                : c.participants().subList(0, LISTED_PARTICIPANTS);
    }

    /**
     * {@code text} at most 4 KB; {@code priority} one of {@link Priority#WORDS}; {@code patientRef} an identifier only,
     * never clinical text.
     */
    record NewMessage(@NotNull @Size(min = 1, max = 4096) String text, @NotNull @PriorityWord String priority,
            Boolean requiresAck, @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9:._-]*") String patientRef, @Size(max = 64) String replyTo) {
    }

    record RecipientView(String userId, ReceiptState state, Instant at, String reason, int eligibleDevices,
            String choice) {
    }

    /** {@code choices}: the answers offered (a broadcast's "available"…); {@code drill}: an exercise, not real. */
    record MessageView(String id, String conversationId, String senderId, Priority priority, boolean requiresAck,
            String patientRef, String replyTo, Instant sentAt, Instant recalledAt, String text,
            List<RecipientView> recipients, List<String> undeliverable, List<String> choices, boolean drill) {

        /**
         * As {@code viewerId} may see it: the sender sees every recipient's receipt; anyone else only their own (a
         * broadcast's 10,000 receipts, others' decline reasons and answers are not theirs to read).
         */
        static MessageView forViewer(Message m, String text, String viewerId) {
            MessageView all = of(m, text);
            if (m.senderId().equals(viewerId)) {
                return all;
            }
            List<RecipientView> own = all.recipients().stream().filter(r -> r.userId().equals(viewerId)).toList();
            return new MessageView(all.id(), all.conversationId(), all.senderId(), all.priority(), all.requiresAck(),
                    all.patientRef(), all.replyTo(), all.sentAt(), all.recalledAt(), all.text(), own, List.of(),
                    all.choices(), all.drill());
        }

        static MessageView of(Message m, String text) {
            List<RecipientView> recipients = m.recipients().values().stream().map(r -> new RecipientView(r.userId(),
                    r.state(), r.at(), r.reason(), r.eligibleDevices(), r.choice())).toList();
            return new MessageView(m.id(), m.conversationId(), m.senderId(), m.priority(), m.requiresAck(),
                    m.patientRef(), m.replyTo(), m.sentAt(), m.recalledAt(), text, recipients,
                    recipients.stream().filter(r -> r.eligibleDevices() == 0).map(RecipientView::userId).toList(),
                    m.choices(), m.drill());
        }
    }

    /** 201 with each recipient's state; {@code undeliverable} names recipients with no device that may receive it. */
    @Operation(summary = "Send a message to a conversation")
    @ApiResponse(responseCode = "201", description = "The message with each recipient's state")
    @Problems({"403 forbidden", "400 idempotency-key-required"})
    @PostMapping("/api/v1/conversations/{id}/messages")
    Mono<ResponseEntity<MessageView>> send(Caller caller, @PathVariable String id,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody NewMessage body) {
        Priority priority = Priority.parse(body.priority(), "priority");
        caller.requireAny(Role.CLINICIAN, Role.ADMIN);
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 128) {
            return Mono.error(MessagingProblems.IDEMPOTENCY_KEY_REQUIRED.exception(
                    "Send an Idempotency-Key (1-128 characters) so a retried request never pages twice"));
        }
        return dispatch.send(caller.orgId(), caller.userId(), id, idempotencyKey, new Draft(body.text(),
                        priority, Boolean.TRUE.equals(body.requiresAck()), body.patientRef(), body.replyTo()))
                .map(m -> ResponseEntity.created(URI.create("/api/v1/messages/" + m.id()))
                        .body(MessageView.of(m, null)));
    }

    /** The clinician answers from the device: sent as the device's assigned user (a shared device has none). */
    @Operation(summary = "Send a reply from the device, as its user")
    @ApiResponse(responseCode = "201", description = "The message with each recipient's state")
    @Problems({"403 forbidden", "403 device-not-bound", "400 idempotency-key-required"})
    @PostMapping("/device/v1/conversations/{id}/messages")
    Mono<ResponseEntity<MessageView>> sendFromDevice(DevicePrincipal device, @PathVariable String id,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody NewMessage body) {
        Priority priority = Priority.parse(body.priority(), "priority");
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 128) {
            return Mono.error(MessagingProblems.IDEMPOTENCY_KEY_REQUIRED.exception(
                    "Send an Idempotency-Key (1-128 characters) so a retried request never pages twice"));
        }
        if (device.assignedUserId() == null) {
            return Mono.error(org.wardfleet.platform.web.ProblemType.FORBIDDEN.exception(
                    "A shared device has no user to send as"));
        }
        return dispatch.sendFromDevice(device.orgId(), device.deviceId(), device.assignedUserId(), id,
                        idempotencyKey, new Draft(body.text(), priority,
                                Boolean.TRUE.equals(body.requiresAck()), body.patientRef(), body.replyTo()))
                .map(m -> ResponseEntity.created(URI.create("/api/v1/messages/" + m.id()))
                        .body(MessageView.of(m, null)));
    }

    @Schema(name = "MessagingGroupBody")
    record NewGroup(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}") String name,
            @NotEmpty @Size(max = 200) List<@NotBlank @Size(max = 64) String> members) {
    }

    @Schema(name = "MessagingGroup")
    record GroupView(String id, String name, List<String> members) {
    }

    /** A role is a named list of users ("on-call-medicine"); conversations may name it as {@code role:<name>}. */
    @Operation(summary = "Define a messaging group (a named list of users; ADMIN)")
    @ApiResponse(responseCode = "201", description = "The group")
    @Problems({"403 forbidden", "400 conversation-invalid"})
    @PostMapping("/api/v1/messaging/roles")
    Mono<ResponseEntity<GroupView>> group(Caller caller, @Valid @RequestBody NewGroup body) {
        caller.requireAny(Role.ADMIN);
        return conversations.defineGroup(caller.orgId(), caller.userId(), body.name(), body.members())
                .map(r -> ResponseEntity.created(URI.create("/api/v1/messaging/roles/" + r.id()))
                        .body(new GroupView(r.id(), r.name(), r.members())));
    }

    @Operation(summary = "List messaging groups")
    @GetMapping("/api/v1/messaging/roles")
    Mono<List<GroupView>> groups(Caller caller) {
        return conversations.groups(caller.orgId()).map(r -> new GroupView(r.id(), r.name(), r.members())).collectList();
    }

    @Operation(summary = "A message (its text for the sender and recipients while retained)")
    @GetMapping("/api/v1/messages/{id}")
    Mono<MessageView> get(Caller caller, @PathVariable String id) {
        return receipts.open(caller.orgId(), id, caller.userId())
                .flatMap(m -> conversations.text(m).map(t -> MessageView.of(m, t)).defaultIfEmpty(MessageView.of(m, null)));
    }

    /** Receipts from the person's desktop session: READ, ACKNOWLEDGED, DECLINED (with a reason). */
    @Operation(summary = "Answer a message from a desktop session: READ, ACKNOWLEDGED, DECLINED")
    @Problems({"409 receipt-invalid"})
    @PostMapping("/api/v1/messages/{id}/receipts")
    Mono<ReceiptView> userReceipt(Caller caller, @PathVariable String id, @Valid @RequestBody Receipt body) {
        return receipts.userReceipt(caller.orgId(), caller.userId(), id, ReceiptState.valueOf(body.state()),
                        body.reason(),
                        body.choice())
                .map(m -> new ReceiptView(id, body.state()));
    }

    /**
     * The desktop session's live feed (server-sent events): {@code message} when one arrives for the caller,
     * {@code receipt} when a recipient moved on a message the caller sent — ids only; the session then reads
     * {@code GET /api/v1/messages/{id}}.
     */
    @Operation(summary = "Your live feed of messages and receipts (server-sent events)")
    @GetMapping(value = "/api/v1/messages/stream", produces = org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE)
    reactor.core.publisher.Flux<org.springframework.http.codec.ServerSentEvent<java.util.Map<String, Object>>> stream(
            Caller caller) {
        var open = org.springframework.http.codec.ServerSentEvent.<java.util.Map<String, Object>>builder()
                .comment("connected").build();
        var events = signals.live(caller.orgId(), caller.userId())
                .map(e -> org.springframework.http.codec.ServerSentEvent.<java.util.Map<String, Object>>builder(e)
                        .event(String.valueOf(e.get("type"))).build());
        var heartbeat = reactor.core.publisher.Flux.interval(java.time.Duration.ofSeconds(15))
                .map(i -> org.springframework.http.codec.ServerSentEvent.<java.util.Map<String, Object>>builder()
                        .comment("heartbeat").build());
        return reactor.core.publisher.Flux.concat(reactor.core.publisher.Flux.just(open),
                reactor.core.publisher.Flux.merge(events, heartbeat));
    }

    @Operation(summary = "Recall a message no one has read yet (its sender)")
    @Problems({"409 recall-too-late"})
    @PostMapping("/api/v1/messages/{id}/recall")
    Mono<MessageView> recall(Caller caller, @PathVariable String id) {
        return receipts.recall(caller.orgId(), id, caller.userId()).map(m -> MessageView.of(m, null));
    }

    record Inbox(List<java.util.Map<String, Object>> messages, String cursor, boolean blocked) {
    }

    @Operation(summary = "The device's messages after its cursor, encrypted for it")
    @Problems({"403 device-not-bound"})
    @GetMapping("/device/v1/messages")
    Mono<Inbox> inbox(DevicePrincipal device, @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(required = false) @Pattern(regexp = KID) String kid) {
        return deviceInbox.fetch(device.orgId(), device.deviceId(), after, null, kid)
                .map(f -> new Inbox(f.messages(), Long.toString(f.cursor()), f.blocked()));
    }

    record MessageKeyView(String kid, String jwe) {
    }

    /**
     * A new message key for this device (replaces any earlier one): {@code jwe} is the key as a JWK, encrypted to the
     * device's enrolled key; from now on messages arrive as A256KW/A256GCM JWEs whose {@code kid} names it.
     */
    @Operation(summary = "A new message key for this device, encrypted to its enrolled key")
    @ApiResponse(responseCode = "201", description = "The key")
    @Problems({"403 device-not-bound"})
    @PostMapping("/device/v1/message-key")
    Mono<ResponseEntity<MessageKeyView>> messageKey(DevicePrincipal device) {
        return deviceInbox.issueMessageKey(device.orgId(), device.deviceId())
                .map(issued -> ResponseEntity.status(org.springframework.http.HttpStatus.CREATED)
                        .body(new MessageKeyView(issued.kid(), issued.jwe())));
    }

    /** A message key id as the server issues it ({@code mk-<uuid>}), or anything else a device says it holds. */
    static final String KID = "[A-Za-z0-9_-]{1,64}";

    record KeyConfirmation(@NotNull @Pattern(regexp = KID) String kid) {
    }

    record KeyConfirmed(String kid, String state) {
    }

    /**
     * The device has the key it was sent ({@code kid} from {@code POST /device/v1/message-key}): only now do pushes
     * and fetches use it. Idempotent; an unknown kid is 409 {@code message-key-unknown}.
     */
    @Operation(summary = "Confirm the device holds the message key it was sent")
    @Problems({"409 message-key-unknown"})
    @PostMapping("/device/v1/message-key/confirm")
    Mono<KeyConfirmed> confirmMessageKey(DevicePrincipal device, @Valid @RequestBody KeyConfirmation body) {
        return deviceInbox.confirmMessageKey(device.orgId(), device.deviceId(), body.kid())
                .map(kid -> new KeyConfirmed(kid, "ACTIVE"));
    }

    record Receipt(@NotNull @Pattern(regexp = "DELIVERED|READ|ACKNOWLEDGED|DECLINED") String state,
            @Size(max = 200) String reason, @Size(max = 64) String choice) {
    }

    record ReceiptView(String messageId, String state) {
    }

    @Operation(summary = "A receipt from the device: DELIVERED, READ, ACKNOWLEDGED, DECLINED")
    @Problems({"403 device-not-bound", "409 receipt-invalid"})
    @PostMapping("/device/v1/messages/{id}/receipts")
    Mono<ReceiptView> receipt(DevicePrincipal device, @PathVariable String id, @Valid @RequestBody Receipt body) {
        return receipts.receipt(device.orgId(), device.deviceId(), id, ReceiptState.valueOf(body.state()),
                        body.reason(),
                        body.choice())
                .map(m -> new ReceiptView(id, body.state()));
    }
}
