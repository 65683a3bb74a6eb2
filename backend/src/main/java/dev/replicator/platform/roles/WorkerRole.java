package dev.replicator.platform.roles;

import io.micronaut.context.annotation.Requires;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks beans of the {@code worker} process role: they exist only where REPLICATOR_ROLES includes
 * it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Requires(
    property = ProcessRoles.PROPERTY,
    pattern = ProcessRoles.WORKER_PATTERN,
    defaultValue = ProcessRoles.DEFAULT)
public @interface WorkerRole {}
