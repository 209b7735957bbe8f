/* The plugin's custom UI (ui:X11UI): an Xlib window inside the host's (ui:parent), drawn
 * with cairo through draw/panel in a draw/panel_window, no toolkit. The plugin sends a UiFrame about ten times a
 * second on its notify port (plugin/ui_message.h); the host passes it to port_event, which
 * fills the panel's view. The host's idle calls (ui:idleInterface) handle the window's
 * events: exposure and size changes redraw, a click or a drag on a control writes the control
 * port through the host. Everything runs in the host's UI thread. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/core/lv2.h>
#include <lv2/core/lv2_util.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

#include "panel.h"
#include "panel_window.h"
#include "ports.h"
#include "ui_message.h"

#define UI_URI HOMUNCULUS_URI "#ui"

typedef struct {
    PanelWindow *window;
    int dirty;                  /* a frame or a control value came */

    LV2UI_Write_Function write;
    LV2UI_Controller controller;
    LV2UI_Resize *host_resize;  /* optional */
    LV2_URID atom_eventTransfer, atom_Object, atom_Chunk, hm_UiSnapshot, hm_uiFrame;

    PanelView view;
} Ui;

/* The panel's controls are the plugin's control inputs, in port order. */
static void init_controls(PanelView *v)
{
    v->control_count = PORT_FIRST_CONTROL_OUT - PORT_ENABLED;
    for (int i = 0; i < v->control_count; i++) {
        const PortInput *in = &port_inputs[i];
        PanelControl *c = &v->controls[i];
        c->label = in->name;
        c->kind = in->kind == PORT_KIND_SLIDER ? PANEL_SLIDER : in->kind == PORT_KIND_CHOICE ? PANEL_CHOICE : PANEL_TOGGLE;
        c->minimum = in->minimum;
        c->maximum = in->maximum;
        c->value = in->fallback;
        c->integer = i + PORT_ENABLED == PORT_ROOT_NOTE;
    }
    const char *const *choices[3] = {port_hand_choices, port_fingering_choices, port_sonify_choices};
    const PortIndex choice_ports[3] = {PORT_HAND, PORT_FINGERING, PORT_SONIFY};
    for (int k = 0; k < 3; k++) {
        PanelControl *c = &v->controls[choice_ports[k] - PORT_ENABLED];
        for (int j = 0; j <= (int)(c->maximum - c->minimum) && j < PANEL_MAX_CHOICES; j++)
            c->choices[j] = choices[k][j];
    }
}

static void cleanup(LV2UI_Handle handle)
{
    Ui *ui = handle;
    panel_window_close(ui->window);
    free(ui);
}

static LV2UI_Handle instantiate(const LV2UI_Descriptor *descriptor, const char *plugin_uri, const char *bundle_path,
                                LV2UI_Write_Function write_function, LV2UI_Controller controller,
                                LV2UI_Widget *widget, const LV2_Feature *const *features)
{
    (void)descriptor;
    (void)bundle_path;
    if (strcmp(plugin_uri, HOMUNCULUS_URI) != 0)
        return NULL;
    Ui *ui = calloc(1, sizeof *ui);
    if (!ui)
        return NULL;
    void *parent = NULL;
    LV2_URID_Map *map = NULL;
    const char *missing = lv2_features_query(features, LV2_UI__parent, &parent, true, LV2_URID__map, &map, true,
                                             LV2_UI__resize, &ui->host_resize, false, NULL);
    char err[256];
    if (missing || !(ui->window = panel_window_open((unsigned long)(uintptr_t)parent, NULL, err, sizeof err))) {
        cleanup(ui);
        return NULL;
    }
    ui->write = write_function;
    ui->controller = controller;
    ui->atom_eventTransfer = map->map(map->handle, LV2_ATOM__eventTransfer);
    ui->atom_Object = map->map(map->handle, LV2_ATOM__Object);
    ui->atom_Chunk = map->map(map->handle, LV2_ATOM__Chunk);
    ui->hm_UiSnapshot = map->map(map->handle, UI_SNAPSHOT_URI);
    ui->hm_uiFrame = map->map(map->handle, UI_SNAPSHOT_FRAME_URI);
    init_controls(&ui->view);

    if (ui->host_resize)
        ui->host_resize->ui_resize(ui->host_resize->handle, PANEL_WIDTH, PANEL_HEIGHT);
    ui->dirty = 1;
    *widget = (LV2UI_Widget)(uintptr_t)panel_window_id(ui->window);
    return ui;
}

/* A UiFrame into the panel's view; the risk of each sample feeds the trend line. */
static void take_frame(Ui *ui, const UiFrame *f)
{
    PanelView *v = &ui->view;
    int units = f->sheet_size * f->sheet_size;
    v->has_maps = 1;
    v->sheet_size = f->sheet_size;
    v->hands = f->hands;
    for (int h = 0; h < PANEL_HANDS; h++) {
        memcpy(v->preferred_digit[h], f->preferred_digit[h], (size_t)units);
        for (int u = 0; u < units; u++)
            v->selectivity[h][u] = f->selectivity[h][u] / 255.0f;
        memcpy(v->area[h], f->area[h], sizeof v->area[h]);
        memcpy(v->neighbour_overlap[h], f->neighbour_overlap[h], sizeof v->neighbour_overlap[h]);
    }
    panel_push_risk(v, f->risk);
    v->notes_per_minute = f->notes_per_minute;
    v->minutes_playing = f->minutes_playing;
    v->warning = f->warning;
    v->recent_count = f->recent_count;
    for (int i = 0; i < f->recent_count; i++)
        v->recent[i] = (PanelNote){f->recent[i].note, f->recent[i].hand, f->recent[i].finger};
    ui->dirty = 1;
}

static void port_event(LV2UI_Handle handle, uint32_t port, uint32_t size, uint32_t format, const void *buffer)
{
    Ui *ui = handle;
    if (format == 0 && size == sizeof(float) && port >= PORT_ENABLED && port < PORT_FIRST_CONTROL_OUT) {
        if (panel_window_dragging(ui->window) != (int)(port - PORT_ENABLED)) /* the pointer wins while it drags */
            ui->view.controls[port - PORT_ENABLED].value = *(const float *)buffer;
        ui->dirty = 1;
        return;
    }
    if (port != PORT_NOTIFY || format != ui->atom_eventTransfer || size < sizeof(LV2_Atom_Object))
        return;
    const LV2_Atom_Object *object = buffer;
    if (object->atom.type != ui->atom_Object || object->body.otype != ui->hm_UiSnapshot)
        return;
    const LV2_Atom *chunk = NULL;
    lv2_atom_object_get(object, ui->hm_uiFrame, &chunk, 0);
    if (chunk && chunk->type == ui->atom_Chunk && ui_frame_valid(LV2_ATOM_BODY_CONST(chunk), chunk->size))
        take_frame(ui, LV2_ATOM_BODY_CONST(chunk));
}

/* ui:idleInterface: the host calls this often (tens of times a second). */
static int idle(LV2UI_Handle handle)
{
    Ui *ui = handle;
    PanelEvent event;
    while (panel_window_next_event(ui->window, &ui->view, &event))
        if (event.kind == PANEL_EVENT_CONTROL) /* shown already; to the plugin through the host */
            ui->write(ui->controller, (uint32_t)(PORT_ENABLED + event.control), sizeof event.value, 0, &event.value);
    panel_window_draw(ui->window, &ui->view, ui->dirty);
    ui->dirty = 0;
    return 0;
}

/* ui:resize from the host: the host's window changed size. */
static int ui_resize(LV2UI_Feature_Handle handle, int width, int height)
{
    Ui *ui = handle;
    if (width < 1 || height < 1)
        return 1;
    panel_window_resize(ui->window, width, height);
    return 0;
}

static const void *extension_data(const char *uri)
{
    static const LV2UI_Idle_Interface idle_interface = {idle};
    static const LV2UI_Resize resize = {NULL, ui_resize};
    if (!strcmp(uri, LV2_UI__idleInterface))
        return &idle_interface;
    if (!strcmp(uri, LV2_UI__resize))
        return &resize;
    return NULL;
}

static const LV2UI_Descriptor descriptor = {UI_URI, instantiate, cleanup, port_event, extension_data};

LV2_SYMBOL_EXPORT const LV2UI_Descriptor *lv2ui_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
