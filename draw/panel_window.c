/* panel_window: the panel in an Xlib window (see panel_window.h). */
#include "panel_window.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <cairo/cairo-xlib.h>
#include <cairo/cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct PanelWindow {
    Display *display;
    Window window;
    Atom delete_window;         /* WM_DELETE_WINDOW: the close button of a top-level window */
    cairo_surface_t *surface;   /* the window */
    cairo_surface_t *back;      /* drawn in client memory, then shown in one copy */
    PanelLayout layout;
    int width, height;
    int dirty;
    int dragging;               /* the slider being dragged, or -1 */
};

static void resize_surface(PanelWindow *w, int width, int height)
{
    w->width = width;
    w->height = height;
    cairo_xlib_surface_set_size(w->surface, width, height);
    if (w->back)
        cairo_surface_destroy(w->back);
    w->back = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    w->dirty = 1;
}

PanelWindow *panel_window_open(unsigned long parent, const char *title, char *err, size_t err_size)
{
    PanelWindow *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_size, "out of memory for a window");
        return NULL;
    }
    const char *name = getenv("DISPLAY");
    if (!(w->display = XOpenDisplay(NULL))) {
        snprintf(err, err_size, "cannot open the X display '%s'%s", name ? name : "",
                 name && name[0] ? "" : " (DISPLAY is not set)");
        free(w);
        return NULL;
    }
    w->dragging = -1;
    int screen = DefaultScreen(w->display);
    Window container = parent ? (Window)parent : RootWindow(w->display, screen);
    w->window = XCreateSimpleWindow(w->display, container, 0, 0, PANEL_WIDTH, PANEL_HEIGHT, 0,
                                    BlackPixel(w->display, screen), BlackPixel(w->display, screen));
    long events = ExposureMask | StructureNotifyMask | ButtonPressMask | ButtonReleaseMask | Button1MotionMask;
    XSelectInput(w->display, w->window, events | (parent ? 0 : KeyPressMask));
    XSizeHints hints = {0};
    hints.flags = PMinSize | PBaseSize;
    hints.min_width = PANEL_WIDTH / 2;
    hints.min_height = PANEL_HEIGHT / 2;
    hints.base_width = PANEL_WIDTH;
    hints.base_height = PANEL_HEIGHT;
    XSetWMNormalHints(w->display, w->window, &hints);
    if (!parent) {
        XStoreName(w->display, w->window, title);
        w->delete_window = XInternAtom(w->display, "WM_DELETE_WINDOW", False);
        XSetWMProtocols(w->display, w->window, &w->delete_window, 1);
    }
    XMapRaised(w->display, w->window);
    w->surface = cairo_xlib_surface_create(w->display, w->window, DefaultVisual(w->display, screen), PANEL_WIDTH,
                                           PANEL_HEIGHT);
    resize_surface(w, PANEL_WIDTH, PANEL_HEIGHT);
    XFlush(w->display);
    return w;
}

void panel_window_close(PanelWindow *w)
{
    if (!w)
        return;
    if (w->back)
        cairo_surface_destroy(w->back);
    if (w->surface)
        cairo_surface_destroy(w->surface);
    if (w->window)
        XDestroyWindow(w->display, w->window);
    XCloseDisplay(w->display);
    free(w);
}

unsigned long panel_window_id(const PanelWindow *w)
{
    return (unsigned long)w->window;
}

void panel_window_resize(PanelWindow *w, int width, int height)
{
    XResizeWindow(w->display, w->window, (unsigned)width, (unsigned)height);
    resize_surface(w, width, height);
}

int panel_window_dragging(const PanelWindow *w)
{
    return w->dragging;
}

/* A control set by the pointer: into the view at once, and told to the owner. */
static int control_event(PanelWindow *w, PanelView *view, int control, double x, PanelEvent *event)
{
    float value = panel_control_value(&w->layout, view, control, x);
    view->controls[control].value = value;
    w->dirty = 1;
    *event = (PanelEvent){.kind = PANEL_EVENT_CONTROL, .control = control, .value = value};
    return 1;
}

/* One X event; returns 1 when it is one for the owner (in *event). */
static int handle(PanelWindow *w, PanelView *view, XEvent *e, PanelEvent *event)
{
    switch (e->type) {
    case Expose:
        w->dirty = 1;
        return 0;
    case ConfigureNotify:
        if (e->xconfigure.width != w->width || e->xconfigure.height != w->height)
            resize_surface(w, e->xconfigure.width, e->xconfigure.height);
        return 0;
    case KeyPress: {
        char typed[8];
        KeySym symbol;
        if (XLookupString(&e->xkey, typed, sizeof typed, &symbol, NULL) < 1)
            return 0;
        *event = (PanelEvent){.kind = PANEL_EVENT_KEY, .key = typed[0]};
        return 1;
    }
    case ClientMessage:
        if ((Atom)e->xclient.data.l[0] != w->delete_window || !w->delete_window)
            return 0;
        *event = (PanelEvent){.kind = PANEL_EVENT_CLOSE};
        return 1;
    case ButtonPress: {
        if (e->xbutton.button != Button1)
            return 0;
        panel_layout(&w->layout, view, w->width, w->height);
        int control = panel_control_at(&w->layout, view, e->xbutton.x, e->xbutton.y);
        if (control < 0)
            return 0;
        if (view->controls[control].kind == PANEL_SLIDER)
            w->dragging = control;
        return control_event(w, view, control, e->xbutton.x, event);
    }
    case MotionNotify:
        return w->dragging >= 0 && control_event(w, view, w->dragging, e->xmotion.x, event);
    case ButtonRelease:
        w->dragging = -1;
        return 0;
    default:
        return 0;
    }
}

int panel_window_next_event(PanelWindow *w, PanelView *view, PanelEvent *event)
{
    while (XPending(w->display) > 0) {
        XEvent e;
        XNextEvent(w->display, &e);
        if (handle(w, view, &e, event))
            return 1;
    }
    return 0;
}

void panel_window_draw(PanelWindow *w, const PanelView *view, int force)
{
    if (!force && !w->dirty)
        return;
    panel_layout(&w->layout, view, w->width, w->height);
    cairo_t *cr = cairo_create(w->back);
    panel_draw(cr, view, &w->layout);
    cairo_destroy(cr);
    cr = cairo_create(w->surface);
    cairo_set_source_surface(cr, w->back, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(w->surface);
    XFlush(w->display);
    w->dirty = 0;
}
