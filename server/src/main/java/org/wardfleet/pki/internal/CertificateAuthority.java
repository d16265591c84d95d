package org.wardfleet.pki.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.stereotype.Component;
import org.wardfleet.pki.DeviceCertificates;
import org.wardfleet.pki.IssuedCertificate;
import org.wardfleet.platform.web.PublicUrl;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Issues device certificates and answers revocation status. Certificates say what Wardfleet knows (device id,
 * ownership, organisation), carry the device id as a SAN URI, are for TLS client authentication only, and point to
 * this server's CRL and OCSP responder.
 */
@Component
class CertificateAuthority implements DeviceCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CaKeys cas;
    private final PkiRepository repository;
    private final PkiProperties properties;
    private final PublicUrl publicUrl;
    private final Clock clock;

    CertificateAuthority(CaKeys cas, PkiRepository repository, PkiProperties properties, PublicUrl publicUrl,
            Clock clock) {
        this.cas = cas;
        this.repository = repository;
        this.properties = properties;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public Mono<IssuedCertificate> issue(String orgId, String deviceId, String ownership, String csr) {
        return sign(orgId, deviceId, ownership, csr)
                .flatMap(issued -> record(orgId, deviceId, issued).thenReturn(issued));
    }

    @Override
    public Mono<IssuedCertificate> sign(String orgId, String deviceId, String ownership, String csr) {
        // parse, proof of possession and key policy first: a bad CSR costs no CA work
        return Mono.fromCallable(() -> CsrChecks.check(csr)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(checked -> cas.ca(orgId)
                        .flatMap(ca -> Mono.fromCallable(() -> sign(orgId, deviceId, ownership, checked, ca))
                                .subscribeOn(Schedulers.boundedElastic())));
    }

    @Override
    public Mono<Void> record(String orgId, String deviceId, IssuedCertificate issued) {
        return repository.insertCertificate(new PkiRepository.CertificateRecord(issued.serial(), orgId, deviceId,
                issued.certificate().getNotAfter().toInstant(), null, 0));
    }

    @Override
    public Mono<Void> revoke(String orgId, String serial, RevocationReason reason) {
        if (serial == null) {
            return Mono.empty();
        }
        return repository.revoke(orgId, serial, reason.code(), clock.instant());
    }

    @Override
    public Mono<Status> status(String orgId, String serial) {
        return repository.certificate(orgId, serial)
                .map(c -> c.revokedAt() == null ? Status.GOOD : Status.REVOKED)
                .defaultIfEmpty(Status.UNKNOWN);
    }

    @Override
    public Mono<X509Certificate> issuingCa(String orgId) {
        return cas.existing(orgId).map(CaKeys.Ca::certificate);
    }

    @Override
    public Mono<List<X509Certificate>> caChain(String orgId) {
        return cas.ca(orgId).map(CaKeys.Ca::chain);
    }

    private IssuedCertificate sign(String orgId, String deviceId, String ownership, CsrChecks.CheckedCsr csr,
            CaKeys.Ca ca) throws Exception {
        Instant now = clock.instant();
        // RFC 5280 4.1.2.2: positive, at most 20 octets; 128 random bits make serials unguessable
        BigInteger serial = new BigInteger(127, RANDOM).setBit(127);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Wardfleet").addRDN(BCStyle.OU, orgId).addRDN(BCStyle.OU, ownership)
                .addRDN(BCStyle.CN, deviceId).build();
        var builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial, Date.from(now.minusSeconds(300)),
                Date.from(now.plus(properties.certificateValidity())), subject, csr.publicKey());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:wardfleet:device:" + deviceId)));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(csr.publicKey()));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                extensions.createAuthorityKeyIdentifier(ca.certificate()));
        String base = "/pki/v1/orgs/" + orgId;
        builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(
                    GeneralName.uniformResourceIdentifier, publicUrl.resolve(base + "/crl")))), null, null)}));
        builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(X509ObjectIdentifiers.id_ad_ocsp, new GeneralName(
                        GeneralName.uniformResourceIdentifier, publicUrl.resolve(base + "/ocsp")))));
        String algorithm = ca.key().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).setProvider(Pem.BC).build(ca.key())));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        return new IssuedCertificate(serial.toString(16), certificate, chain);
    }
}
