// A widget's shadow DOM: its parts, in reading order. Styles in widget.css
// (with uPlot's, as a string: see scripts/bundle-styles.mjs); hosts may
// restyle the parts named here (see docs/embedding.md).
import { WIDGET_STYLES } from '../pkg/styles.js';

export const TEMPLATE = `
  <style>${WIDGET_STYLES}</style>
  <div class="frame" part="frame">
    <header part="header">
      <strong class="title"></strong>
      <span class="status"></span>
    </header>
    <p class="watch" part="description"></p>
    <div class="variants" role="group" hidden></div>
    <div class="stage">
      <canvas part="diagram" role="img" aria-describedby="alt"></canvas>
      <p class="alt visually-hidden" id="alt"></p>
    </div>
    <dl class="counters" part="counters"></dl>
    <section class="figures" part="figures" hidden><h3></h3><dl></dl><p></p></section>
    <table class="compare" part="table" hidden></table>
    <div class="charts" part="chart"></div>
    <div class="bar" part="controls" role="group">
      <button type="button" class="play primary"></button>
      <button type="button" class="reset"></button>
      <label class="speed-label"><span></span><select class="speed"></select></label>
      <span class="actions"></span>
      <progress max="1" value="0"></progress>
      <a class="open" target="_blank" rel="noopener"></a>
    </div>
    <p class="error" role="alert" hidden></p>
  </div>`;
