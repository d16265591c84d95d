package org.wardfleet.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.wardfleet.audit.AuditEntry;


/**
 * The chain rule: {@code hash = SHA-256(prevHash + "\n" + canonical(entry))}, where the canonical form is JSON with
 * a fixed member order and sorted details. Any edit, insertion or removal of a stored entry changes a hash.
 */
final class AuditChain {

    /** The previous hash of entry 1. */
    static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    static String hash(AuditEntry entry) {
        return sha256(entry.prevHash() + "\n" + canonical(entry));
    }

    /** JSON with a fixed member order, written by hand: every entry is hashed twice (append, verify). */
    static String canonical(AuditEntry e) {
        StringBuilder out = new StringBuilder(256).append('{');
        out.append("\"seq\":").append(e.seq());
        member(out, "at", e.at().toString());
        member(out, "actorType", e.actorType());
        member(out, "actorId", e.actorId());
        member(out, "action", e.action());
        member(out, "target", e.target());
        member(out, "outcome", e.outcome());
        out.append(",\"details\":{");
        boolean first = true;
        for (Map.Entry<String, String> detail : new TreeMap<>(e.details()).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, detail.getKey()).append(':');
            string(out, detail.getValue());
        }
        out.append('}');
        member(out, "requestId", e.requestId());
        member(out, "sourceAddress", e.sourceAddress());
        return out.append('}').toString();
    }

    private static void member(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        string(out, value);
    }

    /** RFC 8259 string escaping; null is written as JSON null. */
    private static StringBuilder string(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
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
