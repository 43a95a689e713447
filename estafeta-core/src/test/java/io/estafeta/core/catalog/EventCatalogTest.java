package io.estafeta.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCatalogTest {
  static final Map<String, String> SPANISH =
      Map.ofEntries(
          Map.entry("queue.joined", "Nueva fila"),
          Map.entry("queue.abandoned", "Fila abandonada"),
          Map.entry("call.created", "Llamada creada"),
          Map.entry("user.connected", "Usuario conectado"),
          Map.entry("user.disconnected", "Usuario desconectado"),
          Map.entry("user.created", "Nuevo usuario"),
          Map.entry("user.deleted", "Usuario eliminado"),
          Map.entry("user.updated", "Usuario editado"),
          Map.entry("form.updated", "Formulario editado"),
          Map.entry("form.deleted", "Formulario eliminado"),
          Map.entry("form.created", "Nuevo formulario"),
          Map.entry("form.received", "Formulario recibido"),
          Map.entry("segment.updated", "Segmento editado"),
          Map.entry("segment.deleted", "Segmento eliminado"),
          Map.entry("segment.created", "Nuevo segmento"),
          Map.entry("comment.created", "Nuevo comentario"),
          Map.entry("agent_form.submitted", "Formulario agente"),
          Map.entry("survey.received", "Encuesta recibida"),
          Map.entry("recording.created", "Nueva grabación"),
          Map.entry("recording.approved", "Grabación aprobada"),
          Map.entry("recording.rejected", "Grabación rechazada"),
          Map.entry("recording.deleted", "Grabación eliminada"),
          Map.entry("meeting.created", "Nueva reunión"),
          Map.entry("meeting.cancelled", "Reunión cancelada"),
          Map.entry("meeting.reminder", "Recordatorio reunión"),
          Map.entry("qms_ticket.notified", "Notificación ticket QMS"));

  final EventCatalog catalog = EventCatalog.bundled();

  @Test
  void holdsExactlyTheContractsTypesWithTheirSpanishNames() {
    List<EventType> all = catalog.all();
    assertThat(all).hasSize(26);
    for (EventType t : all) {
      assertThat(SPANISH).containsEntry(t.type(), t.name().es());
      assertThat(t.name().en()).isNotBlank();
      assertThat(t.description().es()).isNotBlank();
      assertThat(t.description().en()).isNotBlank();
    }
    assertThat(all.stream().map(EventType::type).distinct()).hasSize(26);
  }

  @Test
  void everySampleValidatesAgainstItsSchema() {
    for (EventType t : catalog.all()) {
      List<Error> problems = schema(t).validate(t.sample().toString(), InputFormat.JSON);
      assertThat(problems).as(t.type()).isEmpty();
      assertThat(t.sample().isObject()).as(t.type()).isTrue();
      assertThat(t.sample().size()).as(t.type()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void schemasRejectAnEmptyEvent() {
    for (EventType t : catalog.all()) {
      assertThat(schema(t).validate("{}", InputFormat.JSON)).as(t.type()).isNotEmpty();
    }
  }

  /** The validator reads JSON text: it parses with Jackson 3, the catalog holds Jackson 2 nodes. */
  private static Schema schema(EventType t) {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(t.schema().toString(), InputFormat.JSON);
  }

  @Test
  void findsByType() {
    assertThat(catalog.find("call.created")).isPresent();
    assertThat(catalog.find("call.nope")).isEmpty();
    assertThat(catalog.find(null)).isEmpty();
    assertThat(catalog.contains("survey.received")).isTrue();
  }
}
