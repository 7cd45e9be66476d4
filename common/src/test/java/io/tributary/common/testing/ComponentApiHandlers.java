package io.tributary.common.testing;

import io.tributary.common.protocol.ApiHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.util.ClassUtils;

/**
 * The {@link ApiHandler}s a service's component scan registers, created without their
 * collaborators, for tests that need only what each handler declares (its API key and version
 * range), not what it does. The classes are found as Spring's component scan finds them:
 * {@code @Component} (or a stereotype) classes under a base package; each is created through the
 * constructor Spring would use (the only one, or the {@code @Autowired} one) with {@code null}
 * for every object and zero for every primitive. A handler whose constructor uses its
 * collaborators cannot be created this way, and the call fails naming it.
 *
 * <p>Handlers defined by {@code @Bean} methods are not found: a service that adds one must add it
 * in its test as well. Stateless; thread-safe.
 */
public final class ComponentApiHandlers {

    private ComponentApiHandlers() {}

    /**
     * The handler components under {@code basePackage}, in class-name order.
     *
     * @throws AssertionError if one cannot be created
     */
    public static List<ApiHandler> instantiate(String basePackage) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(true);
        List<String> classNames = scanner.findCandidateComponents(basePackage).stream()
                .map(BeanDefinition::getBeanClassName)
                .sorted()
                .toList();
        ClassLoader loader = ComponentApiHandlers.class.getClassLoader();
        List<ApiHandler> handlers = new ArrayList<>();
        for (String className : classNames) {
            Class<?> type = ClassUtils.resolveClassName(className, loader);
            if (ApiHandler.class.isAssignableFrom(type)) {
                handlers.add((ApiHandler) create(type));
            }
        }
        return handlers;
    }

    private static Object create(Class<?> type) {
        Constructor<?> constructor = injectionConstructor(type);
        Object[] args = Arrays.stream(constructor.getParameterTypes())
                .map(ComponentApiHandlers::emptyValue)
                .toArray();
        try {
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(
                    type.getName() + "'s constructor uses its collaborators, so it cannot be created with null ones;"
                            + " build it in the test with real or stand-in collaborators instead",
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Cannot create " + type.getName(), e);
        }
    }

    private static Constructor<?> injectionConstructor(Class<?> type) {
        Constructor<?>[] constructors = type.getDeclaredConstructors();
        if (constructors.length == 1) {
            return constructors[0];
        }
        return Arrays.stream(constructors)
                .filter(c -> c.isAnnotationPresent(Autowired.class))
                .min(Comparator.comparingInt(Constructor::getParameterCount))
                .orElseThrow(() -> new AssertionError(type.getName()
                        + " has several constructors and none is @Autowired: which one would Spring use?"));
    }

    private static Object emptyValue(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }
}
