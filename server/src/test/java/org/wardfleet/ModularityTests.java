package org.wardfleet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationRunner;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Feature packages talk through each other's public API only, and nothing blocks an event-loop thread. */
class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(WardfleetApplication.class);
    static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the device SDK (and its dev tools) is a client library: the server's rules are for the server
            .withImportOption(location -> !location.contains("/org/wardfleet/sdk/"))
            .importPackages("org.wardfleet");

    @Test
    void featuresUseOnlyEachOthersPublicApi() {
        MODULES.verify();
    }

    @Test
    void writesModuleDiagrams() {
        new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }

    /** Startup code (before the server takes traffic) may block; request, engine and listener code may not. */
    @Test
    void nothingBlocksOutsideStartup() {
        noClasses().that().doNotImplement(ApplicationRunner.class)
                .and().doNotImplement(SmartInitializingSingleton.class)
                .should().callMethod(Mono.class, "block")
                .orShould().callMethod(Mono.class, "block", java.time.Duration.class)
                .orShould().callMethod(Flux.class, "blockFirst")
                .orShould().callMethod(Flux.class, "blockLast")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .because("a blocked event-loop thread stalls every request it serves")
                .check(PRODUCTION);
    }

    /** Only lifecycle roots (background loops started and stopped with the server) subscribe. */
    @Test
    void noFeatureSubscribesInsideAChain() {
        noClasses().that().doNotImplement(org.springframework.context.SmartLifecycle.class).should().callMethod(Mono.class, "subscribe")
                .orShould().callMethod(Flux.class, "subscribe")
                .because("a detached subscribe() loses errors and back-pressure; return the publisher instead")
                .check(PRODUCTION);
    }
}
