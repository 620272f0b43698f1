package onair;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Enforces the one-way layering of the packages: {@code media}, {@code amf} → {@code flv}, {@code mpegts},
 * {@code mp4}, {@code rtmp.*} (with the typed commands of {@code rtmp.command} and the shared {@code rtmp.ingest}) →
 * {@code stream} (the hub) → features ({@code rtmpserver}, …) → {@code server} (wiring).
 * {@code config} holds plain records that any layer above the hub may read, and may use the hub's value types
 * ({@code LiveOptions}); {@code lifecycle}, the listeners every protocol tells of its connections' lives, sits between
 * it and the features.
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("onair");

    @Test
    void packagesDependOnlyOnLowerLayers() {
        Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Main").definedBy("onair")
            .layer("Server").definedBy("onair.server..")
            .layer("Features").definedBy("onair.rtmpserver..", "onair.hls..", "onair.httpflv..", "onair.record..",
                "onair.relay..", "onair.notify..", "onair.stats..", "onair.http..", "onair.output..", "onair.control..",
                "onair.exec..", "onair.directory..", "onair.dash..", "onair.vod..")
            .layer("Lifecycle").definedBy("onair.lifecycle..")
            .layer("Config").definedBy("onair.config..")
            .layer("Hub").definedBy("onair.stream..")
            .layer("Protocol").definedBy("onair.rtmp..", "onair.flv..", "onair.mpegts..", "onair.mp4..")
            .layer("Kernel").definedBy("onair.media..", "onair.amf..")
            .whereLayer("Main").mayNotBeAccessedByAnyLayer()
            .whereLayer("Server").mayOnlyBeAccessedByLayers("Main")
            .whereLayer("Features").mayOnlyBeAccessedByLayers("Server", "Main")
            .whereLayer("Lifecycle").mayOnlyBeAccessedByLayers("Features", "Server", "Main")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Lifecycle", "Features", "Server", "Main")
            .whereLayer("Hub").mayOnlyBeAccessedByLayers("Config", "Lifecycle", "Features", "Server", "Main")
            .whereLayer("Protocol").mayOnlyBeAccessedByLayers("Features", "Server", "Main")
            .whereLayer("Kernel").mayOnlyBeAccessedByLayers("Protocol", "Hub", "Lifecycle", "Features", "Server", "Main")
            .check(CLASSES);
    }

    /** Each feature and the other features it may use: the shared output base, and the few edges named here. */
    private static final Map<String, Set<String>> FEATURE_EDGES = Map.ofEntries(
        Map.entry("rtmpserver", Set.of("output", "relay")),
        Map.entry("httpflv", Set.of("output", "http")),
        Map.entry("record", Set.of("output")),
        Map.entry("relay", Set.of("output")),
        Map.entry("stats", Set.of("exec", "relay", "directory")),
        Map.entry("control", Set.of("stats")),
        Map.entry("hls", Set.of()),
        Map.entry("dash", Set.of("hls")),
        Map.entry("notify", Set.of()),
        Map.entry("http", Set.of("exec", "relay")),
        Map.entry("output", Set.of()),
        Map.entry("exec", Set.of()),
        Map.entry("directory", Set.of()),
        Map.entry("vod", Set.of()));

    static List<String> features() {
        return FEATURE_EDGES.keySet().stream().sorted().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void aFeatureUsesOnlyTheFeaturesItNames(String feature) {
        String[] others = FEATURE_EDGES.keySet().stream()
            .filter(other -> !other.equals(feature) && !FEATURE_EDGES.get(feature).contains(other))
            .map(other -> "onair." + other + "..")
            .toArray(String[]::new);
        noClasses().that().resideInAPackage("onair." + feature + "..")
            .should().dependOnClassesThat().resideInAnyPackage(others)
            .check(CLASSES);
    }
}
