/* experiment_figure: the layout of an experiment's picture. */
#include "experiment_figure.h"

#include "map_picture.h"

#define MARGIN 20.0
#define MAP_SIZE 190.0
#define MAP_PITCH 210.0
#define RISK_BAR 8.0
#define MAPS_TOP 78.0
#define CHART_WIDTH 250.0
#define CHECKS_TOP (MAPS_TOP + MAP_SIZE + RISK_BAR + 56.0)
#define LINE_HEIGHT 20.0
#define INK 0.1

static const ChartStyle STYLE = {
    .text_grey = INK, .frame_grey = INK, .tick_size = 11, .legend_size = 10, .legend_grey = INK,
    .title_size = 12, .title_gap = 8, .ink_anchored = 1,
};
static const double BAR_RGB[3] = {0.30, 0.45, 0.70};

static void draw_maps(cairo_t *cr, const ExperimentFigure *f)
{
    for (int i = 0; i < f->map_count; i++) {
        const ExperimentFigureMap *map = &f->maps[i];
        double x = MARGIN + i * MAP_PITCH;
        map_picture_draw(cr, map->preferred, map->selectivity, map->sheet_size, map->overlap_risk, x, MAPS_TOP,
                         MAP_SIZE, RISK_BAR);
        cairo_set_source_rgb(cr, INK, INK, INK);
        picture_text_on_ink(cr, x + MAP_SIZE / 2, MAPS_TOP + MAP_SIZE + RISK_BAR + 18, 12, 0, 0.5, "%s", map->label);
        picture_text_on_ink(cr, x + MAP_SIZE / 2, MAPS_TOP + MAP_SIZE + RISK_BAR + 33, 11, 0, 0.5,
                            "overlap risk %.2f", map->overlap_risk);
    }
}

static void draw_checks(cairo_t *cr, const ExperimentFigure *f)
{
    double y = CHECKS_TOP;
    for (int i = 0; i < f->check_count; i++, y += LINE_HEIGHT) {
        const ExperimentFigureCheck *c = &f->checks[i];
        if (c->passed)
            cairo_set_source_rgb(cr, 0.10, 0.55, 0.15);
        else
            cairo_set_source_rgb(cr, 0.80, 0.10, 0.10);
        picture_text(cr, MARGIN, y, 12, 1, 0, "%s", c->passed ? "PASS" : "FAIL");
        cairo_set_source_rgb(cr, INK, INK, INK);
        picture_text(cr, MARGIN + 44, y, 12, 0, 0, "%s: %s", c->criterion, c->observed);
    }
}

int experiment_figure_write(const char *path, const ExperimentFigure *f, PictureWriter write, char *err,
                            size_t err_size)
{
    double chart_left = MARGIN + f->map_slots * MAP_PITCH + 10.0;
    int width = (int)(chart_left + CHART_WIDTH + MARGIN);
    int height = (int)(CHECKS_TOP + f->check_count * LINE_HEIGHT + 4);
    PictureFile *picture = picture_file_create(path, PICTURE_PNG, width, height, err, err_size);
    if (!picture)
        return -1;
    cairo_t *cr = picture_file_context(picture);
    cairo_set_source_rgb(cr, INK, INK, INK);
    picture_text(cr, MARGIN, 28, 15, 1, 0, "%s", f->heading);
    picture_text(cr, MARGIN, 48, 11, 0, 0, "%s", f->source);
    draw_maps(cr, f);
    ChartBars bars = f->bars;
    bars.rgb = BAR_RGB;
    chart_draw_bars(cr, &STYLE, &bars, chart_left, MAPS_TOP, CHART_WIDTH, MAP_SIZE);
    draw_checks(cr, f);
    return picture_file_finish(picture, write, err, err_size);
}
