package onair;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

/**
 * Enforces the one-way layering of the packages: {@code media}, {@code amf} → {@code flv}, {@code mpegts},
                "onair.relay..", "onair.notify..", "onair.stats..", "onair.http..", "onair.output..", "onair.control..")
            .layer("Lifecycle").definedBy("onair.lifecycle..")
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
                "onair.exec..")
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
            .whereLayer("Hub").mayOnlyBeAccessedByLayers("Lifecycle", "Features", "Server", "Main")
            .whereLayer("Protocol").mayOnlyBeAccessedByLayers("Features", "Server", "Main")
            .whereLayer("Kernel").mayOnlyBeAccessedByLayers("Protocol", "Hub", "Lifecycle", "Features", "Server", "Main")
            .check(CLASSES);
    }
}
