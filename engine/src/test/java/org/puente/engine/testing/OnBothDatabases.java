package org.puente.engine.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Runs a test once on SQLite and once on PostgreSQL, each time with a fresh {@link TestDatabase} as its
 * first parameter (JUnit closes it after the invocation, which drops the database).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "on {0}")
@ArgumentsSource(OnBothDatabases.Databases.class)
public @interface OnBothDatabases {

    /** One lazily opened database per kind. */
    final class Databases implements ArgumentsProvider {
        @Override
        public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
            return Stream.of(TestDatabase.Kind.values()).map(k -> Arguments.of(new TestDatabase(k)));
        }
    }
}
