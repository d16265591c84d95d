package org.wardfleet.pki.internal;

import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.pki.PkiProblems;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@link CaImports} over {@link PkiRepository}: refused once a certificate was issued, checked off the event loop. */
@Component
class CaImporter implements CaImports {

    private final CaKeys cas;
    private final PkiRepository repository;
    private final Clock clock;

    CaImporter(CaKeys cas, PkiRepository repository, Clock clock) {
        this.cas = cas;
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public Mono<Void> importCa(Caller caller, CaImport body) {
        return Mono.defer(() -> {
                    caller.requireAny(Role.ADMIN);
                    return repository.anyCertificate(caller.orgId());
                })
                .flatMap(used -> used ? Mono.error(PkiProblems.CA_IN_USE.exception(
                        "Device certificates were already issued by the current CA")) : Mono.just(body))
                .flatMap(b -> Mono.fromCallable(() -> validated(caller.orgId(), b))
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(stored -> repository.replaceCa(stored, clock.instant()))
                .doOnSuccess(done -> cas.forget(caller.orgId()));
    }

    private PkiRepository.StoredCa validated(String orgId, CaImport body) throws Exception {
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.certificates(body.certificatePem());
            key = Pem.privateKey(body.privateKeyPem(), body.privateKeyPassphrase() == null ? null
                    : body.privateKeyPassphrase().toCharArray());
        } catch (java.io.IOException e) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("Unreadable PEM: %s", e.getMessage());
        }
        if (chain.isEmpty()) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("No certificate in certificatePem");
        }
        X509Certificate ca = chain.get(0);
        boolean[] usage = ca.getKeyUsage();
        if (ca.getBasicConstraints() < 0 || usage == null || !usage[5]) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("The certificate is not a CA (CA:true and keyCertSign)");
        }
        if (clock.instant().isAfter(ca.getNotAfter().toInstant())) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("The CA certificate has expired");
        }
        if (!keyMatches(key, ca)) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("The private key does not belong to the certificate");
        }
        return new PkiRepository.StoredCa(orgId, Pem.write(chain.toArray()), cas.encrypt(key), true);
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] probe = "wardfleet-ca-import".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }
}
