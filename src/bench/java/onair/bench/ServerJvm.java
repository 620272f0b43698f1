package onair.bench;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.util.Set;

/**
 * The heap side of a server that runs on a JVM, read through the Attach API and its local JMX agent: bytes allocated
 * by all its threads so far ({@code ThreadMXBean.getTotalThreadAllocatedBytes}) and the count and total time of its
 * garbage-collector pauses (ZGC's "Pauses" beans, or every collector of a stop-the-world GC).
 */
final class ServerJvm implements AutoCloseable {

    /** One reading; {@code pauseMillis} is the summed pause time of every collection counted in {@code pauses}. */
    record Reading(long allocatedBytes, long pauses, long pauseMillis) {}

    private static final ObjectName THREADING = name("java.lang:type=Threading");
    private static final ObjectName COLLECTORS = name("java.lang:type=GarbageCollector,name=*");

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private ServerJvm(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /** Attaches to {@code pid}, or returns null if it is not a JVM that allows it (nginx, for one). */
    static ServerJvm attach(long pid) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                String address = vm.startLocalManagementAgent();
                return new ServerJvm(JMXConnectorFactory.connect(new JMXServiceURL(address)));
            } finally {
                vm.detach();
            }
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    Reading read() {
        try {
            long allocated = (Long) server.getAttribute(THREADING, "TotalThreadAllocatedBytes");
            long pauses = 0;
            long pauseMillis = 0;
            Set<ObjectName> collectors = server.queryNames(COLLECTORS, null);
            boolean zgc = collectors.stream().anyMatch(n -> n.getKeyProperty("name").startsWith("ZGC"));
            for (ObjectName collector : collectors) {
                if (!zgc || collector.getKeyProperty("name").endsWith("Pauses")) {
                    pauses += (Long) server.getAttribute(collector, "CollectionCount");
                    pauseMillis += (Long) server.getAttribute(collector, "CollectionTime");
                }
            }
            return new Reading(allocated, pauses, pauseMillis);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the server's JVM statistics", e);
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
