package org.wardfleet.pki.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Each organisation's CA certificate chain and private key, decrypted once and kept in memory (the PBKDF2 step is
 * deliberately slow). Created on first use: ECDSA P-256, CA:true with path length 0, keyCertSign and cRLSign.
 */
@Component
class CaKeys {

    record Ca(List<X509Certificate> chain, PrivateKey key, boolean imported) {

        X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private final PkiRepository repository;
    private final CaPassphrase passphrase;
    private final PkiProperties properties;
    private final Clock clock;
    private final Map<String, Ca> loaded = new ConcurrentHashMap<>();
    /** Loads in flight: many first requests at once decrypt the key once, not once each. */
    private final Map<String, Mono<Ca>> loading = new ConcurrentHashMap<>();

    CaKeys(PkiRepository repository, CaPassphrase passphrase, PkiProperties properties, Clock clock) {
        this.repository = repository;
        this.passphrase = passphrase;
        this.properties = properties;
        this.clock = clock;
    }

    /** The organisation's CA, creating it if this is the first certificate ever issued there. */
    Mono<Ca> ca(String orgId) {
        Ca cached = loaded.get(orgId);
        if (cached != null) {
            return Mono.just(cached);
        }
        return loading.computeIfAbsent(orgId, id -> repository.findCa(id)
                .switchIfEmpty(Mono.defer(() -> create(id)))
                .flatMap(stored -> Mono.fromCallable(() -> decrypt(stored)).subscribeOn(Schedulers.boundedElastic()))
                .doOnNext(ca -> loaded.put(id, ca))
                .doFinally(signal -> loading.remove(id))
                .cache());
    }

    /** An existing CA only (CRL and OCSP never create one). */
    Mono<Ca> existing(String orgId) {
        Ca cached = loaded.get(orgId);
        return cached != null ? Mono.just(cached) : repository.findCa(orgId)
                .flatMap(stored -> Mono.fromCallable(() -> decrypt(stored)).subscribeOn(Schedulers.boundedElastic()))
                .doOnNext(ca -> loaded.put(orgId, ca));
    }

    void forget(String orgId) {
        loaded.remove(orgId);
        loading.remove(orgId);
    }

    String encrypt(PrivateKey key) {
        return Pem.encryptedKey(key, passphrase.value());
    }

    private Mono<PkiRepository.StoredCa> create(String orgId) {
        return Mono.fromCallable(() -> newCa(orgId)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(stored -> repository.insertCa(stored, clock.instant()).thenReturn(stored)
                        // another instance created it first: use theirs, so there is one CA
                        .onErrorResume(Documents::isDuplicateKey, e -> repository.findCa(orgId)));
    }

    private PkiRepository.StoredCa newCa(String orgId) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=Wardfleet Device CA,OU=" + orgId + ",O=Wardfleet");
        Instant now = clock.instant();
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()).setBit(127),
                Date.from(now.minusSeconds(300)), Date.from(now.plus(properties.caValidity())), subject,
                pair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        return new PkiRepository.StoredCa(orgId, Pem.write(certificate), encrypt(pair.getPrivate()), false);
    }

    private Ca decrypt(PkiRepository.StoredCa stored) throws IOException {
        return new Ca(Pem.certificates(stored.chainPem()), Pem.privateKey(stored.encryptedKeyPem(),
                passphrase.value()), stored.imported());
    }
}
