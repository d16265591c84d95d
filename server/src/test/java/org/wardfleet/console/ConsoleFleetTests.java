package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.wardfleet.sdk.DeviceClient;
import org.wardfleet.sdk.EnrolledDevice;
import org.wardfleet.sdk.EnrollmentClient;
import org.wardfleet.sdk.SoftwareKeyStore;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/**
 * IT's daily work in real Chromium: invite a device, see it arrive, act on it, and — as security staff — look without
 * being able to change a thing.
 */
@WardfleetTest
class ConsoleFleetTests {

    static ConsoleBrowser browser;

    @LocalServerPort int port;
    @Autowired TestApi api;
    @Autowired WebTestClient http;

    @BeforeEach
    void freshVisitor() {
        if (browser == null) {
            browser = ConsoleBrowser.start("http://localhost:" + port);
        }
        browser.reset();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void theSdkEnrollsWithAnInvitationMadeInTheBrowserAndTheDeviceAppearsInTheFleet() throws Exception {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD).open("/console/enroll");
        browser.find(By.cssSelector("input[name=ownership][value=COPE]")).click();
        new Select(browser.find(By.id("platform"))).selectByValue("ANDROID");
        browser.find(By.id("person")).sendKeys(nurse.email());
        browser.find(By.id("groups")).sendKeys("ICU, Ward 7");
        browser.find(By.id("create-invitation")).click();
        String link = browser.find(By.id("enrollment-link")).getText();
        assertThat(link).contains("/enroll#token=");
        // the code on the screen is the link: a phone camera reads what the page shows
        assertThat(decode(browser.find(By.id("qr")))).isEqualTo(link);
        browser.screenshot("enroll-created");

        String secret = link.substring(link.indexOf("#token=") + "#token=".length());
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        EnrolledDevice phone = new EnrollmentClient(browser.baseUrl(), null).enroll(secret, keys,
                new EnrollmentClient.DeviceInfo("android", "Pixel 9 Pro", "15", "2026-10-05", "1.0.0"),
                nurse.token());

        browser.open("/console/devices");
        WebElement unfiltered = browser.find(By.id("results"));
        browser.find(By.id("q")).sendKeys(nurse.email());
        // the list changes in place as the search is typed, and the address with it
        browser.until(org.wardfleet.support.ConsoleBrowser.left(unfiltered));
        browser.until(ExpectedConditions.urlContains("q="));
        browser.waitForPage();
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#devices tbody tr"));
        assertThat(rows).hasSize(1);
        WebElement row = rows.get(0);
        assertThat(row.getText()).contains("Pixel 9 Pro").contains("Test CLINICIAN").contains("COPE").contains("Active");
        row.findElement(By.linkText("Pixel 9 Pro")).click();
        browser.until(ExpectedConditions.urlContains("/console/devices/" + phone.deviceId()));
        assertThat(browser.mainText()).contains("ICU, Ward 7").contains("Valid");
    }

    @Test
    void retiringADeviceFromTheBrowserNamesItsPersonFirstThenRevokesItsCertificate() {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        TestDevice device = api.enrolledDevice(api.adminToken(), "BYOD", nurse.id());
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD).open("/console/devices/" + device.deviceId());
        // a personal phone is never offered a full wipe
        assertThat(browser.find(By.id("device-actions")).getText()).contains("Lock").contains("Selective wipe")
                .contains("Retire");
        assertThat(browser.driver().findElements(By.id("act-WIPE"))).isEmpty();
        browser.screenshot("device");

        browser.find(By.id("act-RETIRE")).click();
        WebElement confirmation = browser.find(By.id("confirmation"));
        assertThat(confirmation.getText()).contains("Retire this device?").contains("Pixel 8").contains("Test CLINICIAN")
                .contains(device.deviceId());
        browser.screenshot("device-confirm");
        browser.find(By.id("confirm-button")).click();

        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("certificate-status"), "Revoked"));
        assertThat(browser.find(By.id("state")).getText()).isEqualTo("Retired");
        assertThat(browser.find(By.id("done")).getText()).contains("Device retired").contains("refused from its next request");
        assertThat(browser.driver().findElements(By.id("device-actions"))).isEmpty();
        browser.screenshot("device-retired");
        // the device itself is refused from now on
        api.deviceCall(device, "POST", "/device/v1/checkin", Map.of()).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:device-retired");
    }

    @Test
    void aLockShowsItsDeliveryLiveWhenThePhoneChecksIn() {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        String secret = (String) api.invitation(api.adminToken(), Map.of("ownership", "COPE", "platform", "android",
                "assignedUserId", nurse.id())).get("secret");
        EnrolledDevice phone = new EnrollmentClient(browser.baseUrl(), null).enroll(secret,
                SoftwareKeyStore.generate(), new EnrollmentClient.DeviceInfo("android", "Pixel 8", "15", "2026-10-05",
                        "1.0.0"), nurse.token());
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD).open("/console/devices/" + phone.deviceId());
        browser.find(By.id("act-LOCK")).click();
        browser.find(By.id("confirm-button")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("actions"), "Waiting"));

        // the phone checks in and fetches the lock: the open page shows it without a reload
        WebElement before = browser.find(By.id("actions"));
        DeviceClient.withDeviceJwt(browser.baseUrl(), TestDevice.AUDIENCE, phone, null, Clock.systemUTC())
                .checkIn(new DeviceClient.Inventory("15", "2026-10-05", "1.0.0", "Pixel 8", null));
        browser.until(org.wardfleet.support.ConsoleBrowser.left(before));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("actions"), "Delivered to device"));
    }

    @Test
    void securityStaffSeeEverythingButCannotPressOrPostAnythingThatChangesState() {
        TestApi.User officer = api.createUser(api.adminToken(), "SECURITY");
        TestDevice device = api.enrolledDevice(api.adminToken(), "COPE", null);
        browser.signIn(officer.email(), officer.password()).open("/console/devices/" + device.deviceId());
        assertThat(browser.mainText()).contains("read-only access").contains("Certificate").contains("Timeline");
        assertThat(browser.driver().findElements(By.cssSelector("#main form, #device-actions, .button.danger")))
                .isEmpty();
        browser.screenshot("device-security");
        browser.open("/console/enroll");
        assertThat(browser.find(By.id("invitations")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElements(By.cssSelector("#create, .revoke, #main form"))).isEmpty();

        // a forged request with their own session and its valid token: the device service refuses it
        String session = browser.cookie("wardfleet_console");
        String token = browser.csrfToken();
        http.post().uri("/console/devices/{id}/actions", device.deviceId()).cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("type", "RETIRE").with("_csrf", token))
                .exchange().expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("Not allowed"));
        http.post().uri("/console/enroll").cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("ownership", "SHARED").with("platform", "ANDROID").with("_csrf", token))
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/devices/{id}", device.deviceId()).headers(h -> h.setBearerAuth(api.adminToken()))
                .exchange().expectBody().jsonPath("$.device.state").isEqualTo("ACTIVE");
    }

    @Test
    void fleetFiltersNarrowTheListAndTheAddressKeepsThem() {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        TestDevice byod = api.enrolledDevice(api.adminToken(), "BYOD", nurse.id());
        api.enrolledDevice(api.adminToken(), "SHARED", null);
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD).open("/console/devices");
        browser.screenshot("fleet");
        WebElement results = browser.find(By.id("results"));
        new Select(browser.find(By.id("ownership"))).selectByValue("BYOD");
        browser.until(org.wardfleet.support.ConsoleBrowser.left(results));
        browser.waitForPage();
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#devices tbody tr"));
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).contains("BYOD"));
        assertThat(browser.driver().getCurrentUrl()).contains("ownership=BYOD");
        browser.driver().navigate().refresh();
        browser.waitForPage();
        assertThat(new Select(browser.find(By.id("ownership"))).getFirstSelectedOption().getText()).isEqualTo("BYOD");
        assertThat(browser.mainText()).contains(byod.deviceId().substring(0, 8));

        // a group: only its devices (a shared tablet of one ward), and the address keeps it
        String ward = "Ward-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> body = Map.of("ownership", "SHARED", "platform", "android", "groups", List.of(ward));
        TestDevice tablet = TestDevice.p256();
        api.enroll((String) api.invitation(api.adminToken(), body).get("secret"), tablet, "android", Map.of());
        browser.open("/console/devices");
        WebElement before = browser.find(By.id("results"));
        browser.find(By.id("group")).sendKeys(ward);
        browser.until(org.wardfleet.support.ConsoleBrowser.left(before));
        browser.waitForPage();
        assertThat(browser.driver().findElements(By.cssSelector("#devices tbody tr"))).singleElement()
                .satisfies(r -> assertThat(r.getText()).contains(tablet.deviceId().substring(0, 8)));
        assertThat(browser.driver().getCurrentUrl()).contains("group=" + ward);

        // on a tablet the page fits the screen: the table scrolls inside its panel, the page itself does not
        browser.size(ConsoleBrowser.TABLET).open("/console/devices");
        Number pageWidth = (Number) ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(pageWidth.intValue()).isLessThanOrEqualTo(0);
        browser.screenshot("fleet-tablet");
    }

    /** Reads the QR code as a camera would, from what the browser drew. */
    private static String decode(WebElement image) throws Exception {
        // what the page draws at its own size: the PNG's modules land on whole pixels
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(browser.picture(image)));
        int[] pixels = shot.getRGB(0, 0, shot.getWidth(), shot.getHeight(), null, 0, shot.getWidth());
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(shot.getWidth(), shot.getHeight(), pixels)))).getText();
    }
}
