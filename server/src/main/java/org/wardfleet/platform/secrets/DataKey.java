package org.wardfleet.platform.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.DataDirectory;

/**
 * The data key: a secret kept outside the database ({@code wardfleet.data-key} or {@code wardfleet.data-key-file};
 * generated once into {@code <data-dir>/data-key} in development; required under {@code prod}) that seals every
 * private key and secret Wardfleet stores in the database, so a copy of the database (a backup, the embedded H2 file)
 * yields no key that signs tokens or policies. Each use gets its own AES-256 key, derived with HKDF-SHA256 (RFC 5869)
 * under the name of its purpose: a value sealed for one purpose never opens as another.
 */
@Component
public class DataKey {

    /** RFC 5869 2.2: a fixed, application-specific salt; the secret supplies the entropy. */
    private static final byte[] SALT = "wardfleet data key v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] secret;

    @Autowired
    DataKey(DataKeyProperties properties, DataDirectory data, Environment environment) {
        this(LocalSecret.resolve(properties.dataKey(), properties.dataKeyFile(), data.dataDir().resolve("data-key"),
                Arrays.asList(environment.getActiveProfiles()).contains("prod"),
                "a data key: set WARDFLEET_DATA_KEY (wardfleet.data-key) or WARDFLEET_DATA_KEY_FILE "
                        + "(wardfleet.data-key-file)", 32));
    }

    /** A data key from its secret (tests, tools). */
    public DataKey(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Seals and opens values for one {@code purpose}, e.g. {@code "token-signing-keys"}. */
    public Sealer sealer(String purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, SALT, ("wardfleet sealed " + purpose).getBytes(StandardCharsets.UTF_8)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return new Sealer(purpose, new SecretKeySpec(key, "AES"));
    }
}
