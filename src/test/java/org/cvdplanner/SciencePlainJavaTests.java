package org.cvdplanner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The science is plain Java: the simulator, NADE-CVD (model, trainer, kernel, rollouts,
 * normaliser), the agent (policy, trainer, environment, baselines) and the artifact kernel can be
 * built, trained and benchmarked without a Spring container, so neither they nor anything they
 * use may depend on Spring (or on the web, JDBC or validation APIs).
 */
class SciencePlainJavaTests {

    private static final String[] SCIENCE = {
            "org.cvdplanner.simulation.CvdSimulator", "org.cvdplanner.simulation.Lattice",
            "org.cvdplanner.simulation.LatticeKernel", "org.cvdplanner.simulation.RandomWalkScheduleGenerator",
            "org.cvdplanner.nade.NadeModel", "org.cvdplanner.nade.NadeTrainer", "org.cvdplanner.nade.NadeKernel",
            "org.cvdplanner.nade.NadeRollout", "org.cvdplanner.nade.NadeNormaliser", "org.cvdplanner.nade.AdamState",
            "org.cvdplanner.agent.Agent", "org.cvdplanner.agent.AgentTrainer", "org.cvdplanner.agent.PolicyNet",
            "org.cvdplanner.agent.PolicyLearner", "org.cvdplanner.agent.EpisodeRunner", "org.cvdplanner.agent.Baselines",
            "org.cvdplanner.agent.CrossEntropyOptimiser", "org.cvdplanner.agent.FurnaceLimits",
            "org.cvdplanner.artifact.Artifacts", "org.cvdplanner.artifact.VerifiedCache"};

    @Test
    void scienceClassesDependOnNoSpringNorOnAnythingThatDoes() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.cvdplanner");
        noClasses().that(com.tngtech.archunit.base.DescribedPredicate.describe("are science classes",
                        c -> java.util.Arrays.asList(SCIENCE).contains(c.getName())))
                .should().transitivelyDependOnClassesThat().resideInAnyPackage("org.springframework..",
                        "jakarta.servlet..", "jakarta.validation..", "jakarta.persistence..")
                .check(classes);
    }
}
