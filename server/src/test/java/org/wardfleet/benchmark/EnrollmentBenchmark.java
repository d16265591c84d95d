package org.wardfleet.benchmark;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/**
 * Enrollments per second through the HTTP API against the raw cost of what each enrollment must do (CSR proof of
 * possession + certificate signing), measured before and after the HTTP run on the same cores. Goal (issue 24): at
 * least 0.35x the raw rate, 32 in flight, the requests sent by a {@link LoadGenerator} in a JVM of its own.
 * Run: see docs/benchmarks.md. Not part of the test suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class EnrollmentBenchmark {

    static final int N = Integer.getInteger("bench.enrollments", 2000);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 32);
    static final int THREADS = Runtime.getRuntime().availableProcessors();
    static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    @Autowired TestApi api;
    @LocalServerPort int port;

    @Test
    void enrollmentsPerSecondAgainstRawCrypto() throws Exception {
        BenchmarkRun run = new BenchmarkRun("enrollment benchmark", "enrollment-benchmark.txt");
        List<String> csrs = new ArrayList<>();
        List<PKCS10CertificationRequest> raw = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            TestDevice device = TestDevice.p256();
            csrs.add(device.csrPem());
            raw.add(device.csr());
        }
        double rawRate = rawRate(raw.subList(0, Math.min(500, N)), 2) > 0 ? rawRate(raw, THREADS) : 0;
        String admin = api.adminToken();
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < N; i += 1000) {
            secrets.add((String) api.invitation(admin, Map.of("ownership", "COPE", "platform", "android",
                    "maxUses", Math.min(1000, N - i))).get("secret"));
        }
        // every request encoded before the clock starts; the load generator is a JVM of its own (LoadGenerator)
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        int warmup = Integer.getInteger("bench.warmup", 1000);
        String warmSecret = (String) api.invitation(admin, Map.of("ownership", "COPE", "platform", "android",
                "maxUses", warmup)).get("secret");
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < warmup; i++) {
            requests.add("-\t" + json.writeValueAsString(Map.of("token", warmSecret, "csr", TestDevice.p256().csrPem(),
                    "platform", "android")));
        }
        for (int i = 0; i < N; i++) {
            requests.add("-\t" + json.writeValueAsString(Map.of("token", secrets.get(i / 1000), "csr", csrs.get(i),
                    "platform", "android")));
        }
        LoadGenerator.Timed timed = LoadGenerator.drive(run, port, "/device/v1/enroll", requests, warmup, CONCURRENCY);
        run.require("enrollments", timed.ok(), N, "refused or failed");
        double httpRate = timed.perSecond();
        // the raw rate again after the HTTP run: the ratio uses their mean, so a load change in between hits both
        double rawAfter = rawRate(raw, THREADS);
        String result = String.format("enrollment benchmark: java %s, %d cores, N=%d, concurrency %d, load generator"
                        + " in its own JVM, load average %.1f%n"
                        + "  raw CSR verify + sign (%d threads): %.0f /s before, %.0f /s after the HTTP run%n"
                        + "  HTTP POST /device/v1/enroll (embedded MongoDB, in-memory): %.0f /s (%d ok)%n"
                        + "  ratio HTTP/raw: %.2f (goal >= 0.35, issue 24)%n",
                System.getProperty("java.version"), THREADS, N, CONCURRENCY, timed.load(), THREADS, rawRate, rawAfter,
                httpRate, timed.ok(), httpRate / ((rawRate + rawAfter) / 2));
        run.report(result);
    }

    /** The work an enrollment cannot avoid, on all cores: verify the CSR signature, build and sign a cert. */
    static double rawRate(List<PKCS10CertificationRequest> csrs, int threads) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ca = generator.generateKeyPair();
        X500Name issuer = new X500Name("CN=Bench CA");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (PKCS10CertificationRequest csr : csrs) {
                futures.add(pool.submit(() -> {
                    if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC)
                            .build(csr.getSubjectPublicKeyInfo()))) {
                        throw new IllegalStateException("bad CSR");
                    }
                    var key = new JcaPKCS10CertificationRequest(csr).setProvider(BC).getPublicKey();
                    Instant now = Instant.now();
                    var builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, new SecureRandom())
                            .setBit(127), Date.from(now), Date.from(now.plusSeconds(31_536_000)),
                            new X500Name("CN=device"), key);
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, "urn:wardfleet:device:x")));
                    return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC)
                            .build(ca.getPrivate())).getEncoded();
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return csrs.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
