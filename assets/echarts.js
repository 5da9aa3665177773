// The ECharts of Redress: only the parts the pages draw (app.js drawCharts:
// the workbench's pie, the statistics page's line and bars, with tooltips
// and axes), bundled by make assets (esbuild) into web/static/vendor/
// echarts.min.js instead of the full build. A chart kind or component that
// app.js starts using must be added here.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([PieChart, LineChart, BarChart, GridComponent, TooltipComponent, CanvasRenderer]);
window.echarts = echarts;
