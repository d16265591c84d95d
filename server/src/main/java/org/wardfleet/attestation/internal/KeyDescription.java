package org.wardfleet.attestation.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;

/**
 * The Android KeyDescription extension (OID 1.3.6.1.4.1.11129.2.1.17), parsed with Bouncy Castle's ASN.1 types.
 * Only the fields Wardfleet judges are read; unknown tags are skipped, and tags out of order are accepted (real
 * devices emit them), since the leaf's signature already binds the content.
 */
record KeyDescription(int attestationVersion, String attestationSecurityLevel, int keyMintVersion,
        String keyMintSecurityLevel, byte[] challenge, Boolean deviceLocked, String verifiedBootState,
        Integer osVersion, Integer osPatchLevel, Integer vendorPatchLevel, Integer bootPatchLevel,
        List<String> packageNames, List<String> signatureDigests, Instant creationTime) {

    static final String OID = "1.3.6.1.4.1.11129.2.1.17";

    // KeyMint tag numbers (hardware/interfaces/security/keymint/aidl/.../Tag.aidl, without the type bits)
    private static final int CREATION_DATE_TIME = 701;
    private static final int ROOT_OF_TRUST = 704;
    private static final int OS_VERSION = 705;
    private static final int OS_PATCH_LEVEL = 706;
    private static final int ATTESTATION_APPLICATION_ID = 709;
    private static final int VENDOR_PATCH_LEVEL = 718;
    private static final int BOOT_PATCH_LEVEL = 719;

    static boolean present(X509Certificate cert) {
        return cert.getExtensionValue(OID) != null;
    }

    static KeyDescription parse(X509Certificate leaf) throws IOException {
        byte[] wrapped = leaf.getExtensionValue(OID);
        if (wrapped == null) {
            throw new IOException("The leaf certificate has no KeyDescription extension");
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1OctetString.getInstance(wrapped).getOctets());
            Map<Integer, ASN1Encodable> software = tags(ASN1Sequence.getInstance(seq.getObjectAt(6)));
            Map<Integer, ASN1Encodable> hardware = tags(ASN1Sequence.getInstance(seq.getObjectAt(7)));
            Map<Integer, ASN1Encodable> either = new HashMap<>(software);
            either.putAll(hardware); // what the secure hardware enforces wins
            ASN1Sequence rootOfTrust = either.containsKey(ROOT_OF_TRUST)
                    ? ASN1Sequence.getInstance(either.get(ROOT_OF_TRUST)) : null;
            List<String> packages = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            if (either.containsKey(ATTESTATION_APPLICATION_ID)) {
                ASN1Sequence appId = ASN1Sequence.getInstance(
                        ASN1OctetString.getInstance(either.get(ATTESTATION_APPLICATION_ID)).getOctets());
                for (ASN1Encodable info : ASN1Set.getInstance(appId.getObjectAt(0))) {
                    packages.add(new String(ASN1OctetString.getInstance(ASN1Sequence.getInstance(info)
                            .getObjectAt(0)).getOctets(), java.nio.charset.StandardCharsets.UTF_8));
                }
                for (ASN1Encodable digest : ASN1Set.getInstance(appId.getObjectAt(1))) {
                    digests.add(HexFormat.of().formatHex(ASN1OctetString.getInstance(digest).getOctets()));
                }
            }
            return new KeyDescription(
                    ASN1Integer.getInstance(seq.getObjectAt(0)).intValueExact(),
                    securityLevel(seq.getObjectAt(1)),
                    ASN1Integer.getInstance(seq.getObjectAt(2)).intValueExact(),
                    securityLevel(seq.getObjectAt(3)),
                    ASN1OctetString.getInstance(seq.getObjectAt(4)).getOctets(),
                    rootOfTrust == null ? null : ASN1Boolean.getInstance(rootOfTrust.getObjectAt(1)).isTrue(),
                    rootOfTrust == null ? null : bootState(rootOfTrust.getObjectAt(2)),
                    integer(either.get(OS_VERSION)), integer(either.get(OS_PATCH_LEVEL)),
                    integer(either.get(VENDOR_PATCH_LEVEL)), integer(either.get(BOOT_PATCH_LEVEL)),
                    packages, digests,
                    either.containsKey(CREATION_DATE_TIME) ? Instant.ofEpochMilli(ASN1Integer.getInstance(
                            either.get(CREATION_DATE_TIME)).longValueExact()) : null);
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException
                | ArrayIndexOutOfBoundsException | ClassCastException e) {
            throw new IOException("Malformed KeyDescription: " + e.getMessage(), e);
        }
    }

    private static Map<Integer, ASN1Encodable> tags(ASN1Sequence list) {
        Map<Integer, ASN1Encodable> tags = new HashMap<>();
        for (ASN1Encodable element : list) {
            ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element);
            tags.put(tagged.getTagNo(), tagged.getExplicitBaseObject());
        }
        return tags;
    }

    private static Integer integer(ASN1Encodable value) {
        return value == null ? null : ASN1Integer.getInstance(value).intValueExact();
    }

    private static String securityLevel(ASN1Encodable value) {
        int level = ASN1Enumerated.getInstance(value).intValueExact();
        switch (level) {
            case 0:
                return "SOFTWARE";
            case 1:
                return "TRUSTED_ENVIRONMENT";
            case 2:
                return "STRONG_BOX";
            default:
                return "UNKNOWN_" + level;
        }
    }

    private static String bootState(ASN1Encodable value) {
        int state = ASN1Enumerated.getInstance(value).intValueExact();
        switch (state) {
            case 0:
                return "VERIFIED";
            case 1:
                return "SELF_SIGNED";
            case 2:
                return "UNVERIFIED";
            case 3:
                return "FAILED";
            default:
                return "UNKNOWN_" + state;
        }
    }
}
