package io.layercake.http.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven through Debian's chromedriver (paths from {@code chromium.binary} and
 * {@code chromium.driver}, defaulting to /usr/bin), so Selenium never downloads a browser.
 */
final class HeadlessChromium {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private HeadlessChromium() {}

  static ChromeDriver start() {
    File binary = new File(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    File driver = new File(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));
    if (!binary.canExecute() || !driver.canExecute()) {
      throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver (" + binary + ", " + driver
          + "): apt-get install chromium chromium-driver, as .ci/run does");
    }
    ChromeOptions options = new ChromeOptions()
        .setBinary(binary)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
            "--no-first-run", "--disable-background-networking", "--disable-extensions");
    // the pages' console messages, for the check that none logs an error
    org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
    logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return chrome;
  }

  static Path screenshot(ChromeDriver chrome, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      // the page from its top, whatever the test scrolled to
      chrome.executeScript("window.scrollTo(0, 0);");
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, chrome.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
