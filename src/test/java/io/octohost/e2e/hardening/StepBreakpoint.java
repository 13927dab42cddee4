package io.octohost.e2e.hardening;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Stops octod exactly as a deploy step starts, with no hook in octod itself: the test starts octod's
 * JVM with a JDWP agent ({@link #jvmArgs}), attaches the JDK's own debugger interface, and sets a
 * breakpoint on the step's {@code run}. When the push reaches it, octod's threads stand still until
 * the test kills it.
 */
final class StepBreakpoint implements AutoCloseable {
    private final VirtualMachine vm;

    private StepBreakpoint(VirtualMachine vm) {
        this.vm = vm;
    }

    /** The JVM options that let a debugger attach on {@code port} (octod runs on: suspend=n). */
    static String[] jvmArgs(int port) {
        return new String[] {"-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port};
    }

    /** Attaches to octod's JVM and sets a breakpoint at the start of {@code io.octohost.deploy.STEP.run}. */
    static StepBreakpoint at(int port, String step) throws Exception {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.transport().name().equals("dt_socket")).findFirst().orElseThrow();
        Map<String, Connector.Argument> args = socket.defaultArguments();
        args.get("hostname").setValue("127.0.0.1");
        args.get("port").setValue(Integer.toString(port));
        VirtualMachine vm = socket.attach(args);
        List<ReferenceType> types = vm.classesByName("io.octohost.deploy." + step);
        if (types.isEmpty()) {
            vm.dispose();
            throw new IllegalStateException("octod has not loaded io.octohost.deploy." + step + ": push once before");
        }
        Method run = types.get(0).methodsByName("run").stream().filter(m -> m.argumentTypeNames().size() == 1).findFirst().orElseThrow();
        BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(run.location());
        request.setSuspendPolicy(EventRequest.SUSPEND_ALL);
        request.enable();
        return new StepBreakpoint(vm);
    }

    /** Waits until a deploy reaches the step (all of octod's threads then stand still); false on timeout. */
    boolean awaitHit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            EventSet events = vm.eventQueue().remove(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (events == null) {
                continue;
            }
            for (Event e : events) {
                if (e instanceof BreakpointEvent) {
                    return true;
                }
            }
            events.resume();
        }
        return false;
    }

    @Override
    public void close() {
        try {
            vm.dispose();
        } catch (VMDisconnectedException e) {
            // octod was killed: nothing to let go of
        }
    }
}
