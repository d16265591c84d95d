package org.wardfleet.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.wardfleet.audit.AuditEntry;

import tools.jackson.databind.json.JsonMapper;

/**
 * The chain rule: {@code hash = SHA-256(prevHash + "\n" + canonical(entry))}, where the canonical form is JSON with
 * a fixed member order and sorted details. Any edit, insertion or removal of a stored entry changes a hash.
 */
final class AuditChain {

    /** The previous hash of entry 1. */
    static final String GENESIS = "0".repeat(64);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditChain() {
    }

    static String hash(AuditEntry entry) {
        return sha256(entry.prevHash() + "\n" + canonical(entry));
    }

    static String canonical(AuditEntry e) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("seq", e.seq());
        ordered.put("at", e.at().toString());
        ordered.put("actorType", e.actorType());
        ordered.put("actorId", e.actorId());
        ordered.put("action", e.action());
        ordered.put("target", e.target());
        ordered.put("outcome", e.outcome());
        ordered.put("details", new TreeMap<>(e.details()));
        ordered.put("requestId", e.requestId());
        ordered.put("sourceAddress", e.sourceAddress());
        return JSON.writeValueAsString(ordered);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
