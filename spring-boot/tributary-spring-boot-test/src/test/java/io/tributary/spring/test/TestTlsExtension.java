package io.tributary.spring.test;

import io.tributary.common.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A CA and a keystore for {@code localhost} it signed, made before the class's embedded cluster
 * starts (declare it before {@link EmbeddedTributary}) and named by the system properties
 * {@value #KEYSTORE} and {@value #TRUSTSTORE}, which the class's broker and application settings
 * refer to as placeholders; every store's password is {@link TestCertificates#PASSWORD}.
 */
final class TestTlsExtension implements BeforeAllCallback, AfterAllCallback {

    static final String KEYSTORE = "tributary.test.keystore";
    static final String TRUSTSTORE = "tributary.test.truststore";

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            Path dir = Files.createTempDirectory("tributary-test-tls");
            TestCertificates ca = TestCertificates.newCa(dir, "test-ca");
            System.setProperty(KEYSTORE, ca.keystore("localhost").toString());
            System.setProperty(TRUSTSTORE, ca.truststore().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(KEYSTORE);
        System.clearProperty(TRUSTSTORE);
    }
}
