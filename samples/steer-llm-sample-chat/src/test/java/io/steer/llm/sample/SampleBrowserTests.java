package io.steer.llm.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The sample's page in a real headless Chromium, driven by Selenium through the system
 * chromedriver (Debian packages {@code chromium} and {@code chromium-driver}; the paths
 * can be changed with the system properties {@value #CHROMIUM_PROPERTY} and
 * {@value #CHROMEDRIVER_PROPERTY}; Selenium Manager never downloads anything). The page
 * is loaded through a {@link LoopbackProxy} that drops every connection mid-stream: the
 * browser reconnects with its {@code Last-Event-ID}, and the page ends with the whole
 * answer, exactly once. The replayed events are 40 ms apart, so that a stream lasts some
 * seconds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "steer.providers.openai.api-key=",
		"steer.providers.xai.api-key=", "steer.providers.anthropic.api-key=", "steer.sample.replay-delay=40ms" })
class SampleBrowserTests {

	static final String CHROMIUM_PROPERTY = "steer.test.chromium";

	static final String CHROMEDRIVER_PROPERTY = "steer.test.chromedriver";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@LocalServerPort
	int port;

	@TempDir
	Path userDataDir;

	private LoopbackProxy proxy;

	private WebDriver driver;

	@BeforeEach
	void openBrowser() {
		this.proxy = LoopbackProxy.start(this.port);
		this.driver = chromium(this.userDataDir);
	}

	@AfterEach
	void closeBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
		this.proxy.close();
	}

	@Test
	void aDroppedConnectionShouldResumeAndTheAnswerEndWithTheWholeTextExactlyOnce() throws IOException {
		send("Tell me about a holiday", "gpt-4o-mini");
		waitUntil((driver) -> !text("answer").isEmpty());
		int shownBeforeDrop = text("answer").length();
		int connections = this.proxy.accepted();
		assertThat(text("status")).isEqualTo("streaming…");
		assertThat(this.proxy.dropAll()).isPositive();
		waitUntil((driver) -> text("status").startsWith("reconnecting") || text("answer").length() > shownBeforeDrop);
		waitUntil((driver) -> text("status").equals("done"));
		assertThat(this.proxy.accepted()).as("the browser reconnected").isGreaterThan(connections);
		assertThat(text("answer")).isEqualTo(expectedText());
		assertThat(text("usage")).contains("tokens");
		assertThat(text("chunks")).matches("[1-9][0-9]*");
		assertThat(text("ttft")).endsWith(" ms");
		assertThat(text("cost")).isNotEqualTo("—");
		Path screenshots = Path.of("target", "browser");
		Files.createDirectories(screenshots);
		File screenshot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
		Files.copy(screenshot.toPath(), screenshots.resolve("resumed-stream.png"), StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	void aRefreshMidStreamShouldResumeWhereThePageWas() {
		send("Tell me about a holiday", "gpt-4o-mini");
		waitUntil((driver) -> !text("answer").isEmpty());
		this.driver.navigate().refresh();
		waitUntil((driver) -> text("status").equals("done"));
		assertThat(text("answer")).isEqualTo(expectedText());
	}

	@Test
	void stopShouldEndTheStreamAndTheTextStopGrowing() {
		send("Tell me about a holiday", "gpt-4o-mini");
		waitUntil((driver) -> !text("answer").isEmpty());
		this.driver.findElement(By.id("stop")).click();
		waitUntil((driver) -> text("status").equals("stopped"));
		String stopped = text("answer");
		assertThat(expectedText()).startsWith(stopped);
		assertThat(stopped).isNotEqualTo(expectedText());
		// the page closed its EventSource on done: a second look finds the same text
		assertThat(this.driver.findElement(By.id("send")).isEnabled()).isTrue();
		assertThat(text("answer")).isEqualTo(stopped);
	}

	private void send(String prompt, String model) {
		this.driver.get(this.proxy.url() + "/");
		WebElement promptBox = this.driver.findElement(By.id("prompt"));
		promptBox.clear();
		promptBox.sendKeys(prompt);
		new Select(this.driver.findElement(By.id("model"))).selectByValue(model);
		this.driver.findElement(By.id("send")).click();
	}

	private String text(String id) {
		String text = this.driver.findElement(By.id(id)).getDomProperty("textContent");
		return (text != null) ? text : "";
	}

	private void waitUntil(Function<WebDriver, Boolean> condition) {
		new WebDriverWait(this.driver, TIMEOUT)
			.withMessage(() -> "status '" + text("status") + "', answer of " + text("answer").length() + " characters")
			.until(condition);
	}

	private static String expectedText() {
		return JsonMapper.builder()
			.build()
			.readTree(SseFixture.load("openai", "chat-text-usage-details-gpt-4.1-nano").expectedJson().orElseThrow())
			.get("text")
			.asString();
	}

	private static WebDriver chromium(Path userDataDir) {
		File binary = new File(System.getProperty(CHROMIUM_PROPERTY, "/usr/bin/chromium"));
		File driver = new File(System.getProperty(CHROMEDRIVER_PROPERTY, "/usr/bin/chromedriver"));
		if (!binary.canExecute()) {
			fail("No Chromium at " + binary + ": install the Debian package chromium (apt-get install chromium), "
					+ "or give its path with -D" + CHROMIUM_PROPERTY + "=…");
		}
		if (!driver.canExecute()) {
			fail("No chromedriver at " + driver + ": install the Debian package chromium-driver (apt-get install "
					+ "chromium-driver), or give its path with -D" + CHROMEDRIVER_PROPERTY + "=…");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(binary);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1200,1000", "--user-data-dir=" + userDataDir.toAbsolutePath());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
