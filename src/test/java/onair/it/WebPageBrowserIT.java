package onair.it;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Headless Chromium opens Onair's web page while ffmpeg publishes, picks the stream from the list and plays it: the
 * video's clock advances and a frame drawn from the video element is not blank. Each playback protocol the page offers
 * is one case: HTTP-FLV and WebSocket-FLV through mpegts.js, and HLS through hls.js with MPEG-TS segments and with
 * fragmented MP4 segments and LL-HLS parts, reloaded with blocking requests, and over the segments of DASH (one
 * application each, all written under the {@code /hls} location), and MPEG-DASH through dash.js, which must report no
 * error; the page's HLS player switches between the renditions of a multitrack publish.
 */
class WebPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String STREAM = "web";

    private static final String FMP4_STREAM = "web-fmp4";
    private static final String DASH_STREAM = "web-dash";
    private static final String CMAF_STREAM = "web-cmaf";
    private static final String ABR_STREAM = "web-abr";

    @TempDir
    static Path media;
    private static TestServer server;
    private static FfmpegPublisher publisher;
    private static FfmpegPublisher fmp4Publisher;
    private static FfmpegPublisher dashPublisher;
    private static FfmpegPublisher cmafPublisher;
    private static FfmpegPublisher abrPublisher;

    @BeforeAll
    static void start() throws Exception {
        for (Path tool : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(tool)) {
                fail(tool + " is missing: install Debian's chromium and chromium-driver packages "
                        + "(apt-get install chromium chromium-driver) to run the browser tests");
            }
        }
        server = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0;
                    application live { live on; hls on; hls_path %1$s/hls; hls_fragment 1s;
                        hls_playlist_length 6s; hls_cleanup on; }
                    application fmp4 { live on; hls on; hls_path %1$s/hls; hls_fragment 1s;
                        hls_playlist_length 6s; hls_cleanup on; hls_segment_type fmp4; hls_part 250ms; }
                    application dash { live on; dash on; dash_path %1$s/dash; dash_fragment 2s;
                        dash_playlist_length 20s; }
                    application both { live on; dash on; dash_path %1$s/hls; dash_fragment 1s;
                        dash_playlist_length 6s; hls on; hls_path %1$s/hls; hls_fragment 1s;
                        hls_playlist_length 6s; hls_segment_type fmp4; }
                } }
                http { server { listen 127.0.0.1:0;
                    location / { }
                    location /live { flv_live on; }
                    location /hls { root %1$s; }
                    location /dash { root %1$s; }
                } }
                """.formatted(media));
        publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("live", STREAM)).loop().start();
        fmp4Publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("fmp4", FMP4_STREAM))
                .name("publisher-fmp4").loop().start();
        dashPublisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("dash", DASH_STREAM))
                .name("publisher-dash").loop().start();
        cmafPublisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("both", CMAF_STREAM))
                .name("publisher-cmaf").loop().start();
        abrPublisher = FfmpegPublisher.builder(TestMedia.h264TwoRenditionsAac(), server.url("both", ABR_STREAM))
                .name("publisher-abr").loop().outputArgs("-map", "0").start();
        await().atMost(Duration.ofSeconds(30)).until(() -> live("live", STREAM) && live("fmp4", FMP4_STREAM)
                && live("dash", DASH_STREAM) && live("both", CMAF_STREAM) && live("both", ABR_STREAM));
    }

    private static boolean live(String app, String name) {
        return server.server().registry().find(new StreamKey(app, name)).map(LiveStream::isLive).orElse(false);
    }

    @AfterAll
    static void stop() {
        for (FfmpegPublisher running : new FfmpegPublisher[] {publisher, fmp4Publisher, dashPublisher, cmafPublisher,
            abrPublisher}) {
            if (running != null) {
                running.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"flv, live/" + STREAM, "ws-flv, live/" + STREAM, "hls, live/" + STREAM, "hls, fmp4/" + FMP4_STREAM,
        "dash, dash/" + DASH_STREAM, "hls, both/" + CMAF_STREAM})
    void thePagePlaysALiveStreamThatShowsAPicture(String kind, String stream) throws IOException {
        Path profile = Files.createTempDirectory("onair-chromium-");
        WebDriver browser = browser(profile);
        try {
            int port = server.server().httpAddresses().getFirst().getPort();
            browser.get("http://127.0.0.1:" + port + "/");
            By play = By.cssSelector("button[data-kind='" + kind + "'][data-stream='" + stream + "']");
            await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(play).isEmpty());
            JavascriptExecutor js = (JavascriptExecutor) browser;
            int viewersBefore = viewers(js, stream);
            assertThat((String) js.executeScript("""
                    const b = document.querySelector("#streams button[data-stream='" + arguments[0] + "']");
                    return b.closest('tr').querySelector('td.tracks').textContent;
                    """, stream)).as("the stream's tracks").isEqualTo("v0 H264 640x360, a0 AAC");
            browser.findElement(play).click();

            await().atMost(Duration.ofSeconds(30))
                    .failFast("the player reports an error", () -> assertThat((List<?>) js.executeScript(
                            "return window.onair.errors;")).as(kind + " errors").isEmpty())
                    .until(() -> ((Number) js.executeScript("return document.getElementById('video').currentTime;"))
                            .doubleValue() > 2);
            List<?> first = frame(js);
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            List<?> later = frame(js);
            double variance = ((Number) later.get(0)).doubleValue();
            File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Path saved = Path.of("target", "browser", "web-page-" + kind + "-" + stream.replace('/', '-') + ".png");
            Files.createDirectories(saved.getParent());
            Files.copy(screenshot.toPath(), saved, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            assertThat(variance).as("luma variance of the frame drawn from the video").isGreaterThan(100);
            assertThat(later.get(1)).as("the picture moves on").isNotEqualTo(first.get(1));
            assertThat(browser.findElement(By.id("now-playing")).getText())
                    .contains(stream, kind.toUpperCase());
            if (stream.equals("fmp4/" + FMP4_STREAM)) {
                assertThat((String) js.executeScript("return performance.getEntriesByType('resource')"
                        + ".map(e => e.name).filter(n => n.includes('_HLS_msn=')).join(' ');"))
                        .as("hls.js reloads the LL-HLS playlist with blocking requests").contains("_HLS_part=");
            }
            if (kind.equals("dash")) {
                assertThat((List<?>) js.executeScript("return window.onair.errors;"))
                        .as("errors dash.js reported").isEmpty();
                assertThat((String) js.executeScript("return performance.getEntriesByType('resource')"
                        + ".map(e => e.name).join(' ');"))
                        .as("dash.js syncs its clock with the manifest's UTCTiming").contains("/api/time");
            } else {
                await().atMost(Duration.ofSeconds(10)).until(() -> viewers(js, stream) > viewersBefore);
            }
        } finally {
            browser.quit();
        }
    }

    @Test
    void thePagesHlsPlayerSwitchesBetweenTheRenditionsOfAMultitrackPublish() throws IOException {
        Path profile = Files.createTempDirectory("onair-chromium-");
        WebDriver browser = browser(profile);
        try {
            int port = server.server().httpAddresses().getFirst().getPort();
            browser.get("http://127.0.0.1:" + port + "/");
            By play = By.cssSelector("button[data-kind='hls'][data-stream='both/" + ABR_STREAM + "']");
            await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(play).isEmpty());
            browser.findElement(play).click();
            JavascriptExecutor js = (JavascriptExecutor) browser;
            await().atMost(Duration.ofSeconds(30))
                    .failFast("the player reports an error", () -> assertThat((List<?>) js.executeScript(
                            "return window.onair.errors;")).as("hls errors").isEmpty())
                    .until(() -> ((Number) js.executeScript("return document.getElementById('video').currentTime;"))
                            .doubleValue() > 2);
            assertThat((String) js.executeScript("return [...document.querySelectorAll('#rendition option')]"
                    + ".map(o => o.textContent.split(' ')[0]).join(',');"))
                    .as("the renditions offered, as hls.js orders them by bandwidth").isEqualTo("Auto,320x180,640x360");

            for (int[] pick : new int[][] {{0, 180}, {1, 360}}) {
                js.executeScript("const s = document.getElementById('rendition'); s.value = arguments[0];"
                        + "s.dispatchEvent(new Event('change'));", String.valueOf(pick[0]));
                await().atMost(Duration.ofSeconds(30)).until(() -> ((Number) js.executeScript(
                        "return document.getElementById('video').videoHeight;")).intValue() == pick[1]);
                double at = ((Number) js.executeScript("return document.getElementById('video').currentTime;"))
                        .doubleValue();
                await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) js.executeScript(
                        "return document.getElementById('video').currentTime;")).doubleValue() > at + 1);
                assertThat(frame(js).get(0)).as("luma variance at %dp", pick[1])
                        .satisfies(variance -> assertThat(((Number) variance).doubleValue()).isGreaterThan(100));
            }
            assertThat((String) js.executeScript("return performance.getEntriesByType('resource')"
                    + ".map(e => e.name).join(' ');"))
                    .as("segments of both renditions were fetched")
                    .containsPattern(ABR_STREAM + "-v1-\\d+\\.mp4").containsPattern(ABR_STREAM + "-\\d+\\.mp4");
            assertThat((List<?>) js.executeScript("return window.onair.errors;")).isEmpty();
        } finally {
            browser.quit();
        }
    }

    /** The viewer count the page's list shows for {@code stream} ({@code app/name}). */
    private static int viewers(JavascriptExecutor js, String stream) {
        return Integer.parseInt((String) js.executeScript("""
                const b = document.querySelector("#streams button[data-stream='" + arguments[0] + "']");
                return b.closest('tr').querySelector('td:nth-child(4)').textContent;
                """, stream));
    }

    /** The luma variance and a checksum of the video's current picture, drawn into a canvas. */
    private static List<?> frame(JavascriptExecutor js) {
        return (List<?>) js.executeScript("""
                const v = document.getElementById('video');
                const c = document.createElement('canvas');
                c.width = v.videoWidth; c.height = v.videoHeight;
                const g = c.getContext('2d');
                g.drawImage(v, 0, 0);
                const p = g.getImageData(0, 0, c.width, c.height).data;
                let n = 0, sum = 0, squares = 0, hash = 0;
                for (let i = 0; i < p.length; i += 4 * 7) {
                  const y = 0.299 * p[i] + 0.587 * p[i + 1] + 0.114 * p[i + 2];
                  n++; sum += y; squares += y * y;
                  hash = (hash * 31 + p[i] + 7 * p[i + 1] + 13 * p[i + 2]) | 0;
                }
                const mean = sum / n;
                return [squares / n - mean * mean, hash];
                """);
    }

    private static WebDriver browser(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }
}
