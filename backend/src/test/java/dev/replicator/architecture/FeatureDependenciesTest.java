package dev.replicator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The features (the packages under {@code dev.replicator}) depend on each other in one direction
 * only, so each can be read, changed and tested from its dependencies up; what several of them
 * share lives in {@code platform}, which depends on no feature.
 */
class FeatureDependenciesTest {

  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.replicator");

  @Test
  void featuresAreFreeOfCycles() {
    slices().matching("dev.replicator.(*)..").should().beFreeOfCycles().check(PRODUCTION);
  }

  @Test
  void platformDependsOnNoFeature() {
    noClasses()
        .that()
        .resideInAPackage("dev.replicator.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.replicator.tenancy..",
            "dev.replicator.trust..",
            "dev.replicator.rule..",
            "dev.replicator.replication..",
            "dev.replicator.batch..",
            "dev.replicator.metrics..",
            "dev.replicator.notification..")
        .check(PRODUCTION);
  }

  @Test
  void otherFeaturesReachTrustsThroughTheResolverOnly() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.replicator.trust..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.replicator.trust.TrustRepository")
        .because("TrustResolver is the one place a trust id becomes a trust and its S3 clients")
        .check(PRODUCTION);
  }
}
