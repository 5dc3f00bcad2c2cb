/**
 * Chart.js, registered with only the parts the spectator charts use (keeps the bundle small).
 * Loaded on demand (ChartCanvas imports it dynamically): a spectator who never opens the charts
 * never downloads it.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family = getComputedStyle(document.body).getPropertyValue('--font') || 'sans-serif';
Chart.defaults.animation = matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 };

export { Chart };
