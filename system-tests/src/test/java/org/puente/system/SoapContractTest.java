package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jws.WebMethod;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.puente.cli.demo.LocalExchange;
import org.puente.system.soapclient.Agency;

/** The SOAP door's documents say what the WSDL says: every operation is in the guide beside its REST twin. */
class SoapContractTest {

    @Test
    void every_wsdl_operation_is_documented_in_the_api_guide() throws Exception {
        String api = Files.readString(LocalExchange.home().resolve("docs/api.md"));
        List<String> operations = Arrays.stream(Agency.class.getDeclaredMethods())
                .map(m -> m.getAnnotation(WebMethod.class).operationName()).sorted().toList();
        assertThat(operations).containsExactly("Acknowledge", "Answer", "GetStatus", "ListInbox", "Submit");
        for (String op : operations) {
            assertThat(api).as(op).contains("| `" + op + "` | `");
        }
    }

    @Test
    void every_operation_declares_the_one_puente_fault() {
        for (Method m : Agency.class.getDeclaredMethods()) {
            assertThat(m.getExceptionTypes()).as(m.getName())
                    .containsExactly(org.puente.system.soapclient.PuenteFault.class);
        }
    }
}
