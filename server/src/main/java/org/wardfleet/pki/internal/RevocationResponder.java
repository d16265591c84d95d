package org.wardfleet.pki.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The signed CRL (RFC 5280) and OCSP answers (RFC 6960), both signed by the organisation's CA key so relying
 * parties need nothing but the CA certificate. Both read revocation straight from MongoDB: what is revoked is on the
 * next CRL and the very next OCSP answer.
 */
@Component
class RevocationResponder {

    private final CaKeys cas;
    private final PkiRepository repository;
    private final PkiProperties properties;
    private final Clock clock;

    RevocationResponder(CaKeys cas, PkiRepository repository, PkiProperties properties, Clock clock) {
        this.cas = cas;
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    /** DER CRL, or empty when the organisation has no CA. */
    Mono<byte[]> crl(String orgId) {
        return cas.existing(orgId).flatMap(ca -> repository.revoked(orgId).collectList()
                .zipWith(repository.nextCrlNumber(orgId))
                .flatMap(t -> Mono.fromCallable(() -> signCrl(ca, t.getT1(), t.getT2()))
                        .subscribeOn(Schedulers.boundedElastic())));
    }

    private byte[] signCrl(CaKeys.Ca ca, java.util.List<PkiRepository.CertificateRecord> revoked, long number)
            throws Exception {
        Instant now = clock.instant();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new JcaX509CertificateHolder(ca.certificate()).getSubject(),
                Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(properties.crlValidity())));
        for (PkiRepository.CertificateRecord r : revoked) {
            builder.addCRLEntry(new BigInteger(r.serial(), 16), Date.from(r.revokedAt()), r.reason());
        }
        builder.addExtension(Extension.cRLNumber, false, new ASN1Integer(number));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
        return builder.build(signer(ca)).getEncoded();
    }

    /** A DER OCSP response; malformed requests and unknown organisations get the matching OCSP error status. */
    Mono<byte[]> ocsp(String orgId, byte[] requestDer) {
        OCSPReq request;
        try {
            request = new OCSPReq(requestDer);
        } catch (IOException | RuntimeException e) {
            return Mono.just(error(OCSPRespBuilder.MALFORMED_REQUEST));
        }
        if (request.getRequestList().length == 0 || request.getRequestList().length > 20) {
            return Mono.just(error(OCSPRespBuilder.MALFORMED_REQUEST));
        }
        return cas.existing(orgId)
                .flatMap(ca -> answer(orgId, ca, request))
                .defaultIfEmpty(error(OCSPRespBuilder.UNAUTHORIZED));
    }

    private Mono<byte[]> answer(String orgId, CaKeys.Ca ca, OCSPReq request) {
        return Flux.fromArray(request.getRequestList())
                .concatMap(req -> verdict(orgId, ca, req.getCertID()).map(verdict -> new Answer(req, verdict)))
                .collectList()
                .flatMap(answers -> Mono.fromCallable(() -> sign(ca, request, answers))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    private record Answer(Req request, Verdict verdict) {
    }

    /**
     * What the database says about one serial. Bouncy Castle spells "good" as a null {@link CertificateStatus},
     * which a reactive stream cannot carry (that null once turned every good answer into a 500), so the chain
     * carries this and the BC status is made only when signing.
     */
    private record Verdict(boolean known, Instant revokedAt, int reason) {

        static final Verdict GOOD = new Verdict(true, null, 0);
        static final Verdict UNKNOWN = new Verdict(false, null, 0);

        CertificateStatus status() {
            if (!known) {
                return new UnknownStatus();
            }
            return revokedAt == null ? CertificateStatus.GOOD : new RevokedStatus(Date.from(revokedAt), reason);
        }
    }

    private Mono<Verdict> verdict(String orgId, CaKeys.Ca ca, CertificateID id) {
        try {
            if (!id.matchesIssuer(new JcaX509CertificateHolder(ca.certificate()), digests())) {
                return Mono.just(Verdict.UNKNOWN);
            }
        } catch (OCSPException | OperatorCreationException | java.security.cert.CertificateEncodingException e) {
            return Mono.just(Verdict.UNKNOWN);
        }
        return repository.certificate(orgId, id.getSerialNumber().toString(16))
                .map(c -> c.revokedAt() == null ? Verdict.GOOD : new Verdict(true, c.revokedAt(), c.reason()))
                .defaultIfEmpty(Verdict.UNKNOWN);
    }

    private byte[] sign(CaKeys.Ca ca, OCSPReq request, java.util.List<Answer> answers) throws Exception {
        X509CertificateHolder caHolder = new JcaX509CertificateHolder(ca.certificate());
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
                new RespID(caHolder.getSubjectPublicKeyInfo(), digests().get(RespID.HASH_SHA1)));
        Instant now = clock.instant();
        for (Answer a : answers) {
            builder.addResponse(a.request().getCertID(), a.verdict().status(), Date.from(now),
                    Date.from(now.plus(properties.ocspValidity())), null);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            // RFC 8954: echo the client's nonce so the answer cannot be replayed to it
            builder.setResponseExtensions(new Extensions(nonce));
        }
        X509CertificateHolder[] chain = {caHolder};
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                builder.build(signer(ca), chain, Date.from(now))).getEncoded();
    }

    private static org.bouncycastle.operator.ContentSigner signer(CaKeys.Ca ca) throws OperatorCreationException {
        String algorithm = ca.key().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaContentSignerBuilder(algorithm).setProvider(Pem.BC).build(ca.key());
    }

    private static DigestCalculatorProvider digests() throws OperatorCreationException {
        return new JcaDigestCalculatorProviderBuilder().build();
    }

    private static byte[] error(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
