/**
 * <guichet-map>: a map to place a point field's point, shown when the municipality set
 * up map tiles (GUICHET_MAP_TILES, given with the form). Leaflet (raster tiles, no
 * WebGL) is loaded only when such a field is on screen. The map is a convenience: the
 * point can always be typed or taken from the device next to it, and without a
 * network the tiles are missing but the map still places the point (the person is
 * told the background could not load). Docs: docs/decisions/0018.
 */

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type * as Leaflet from 'leaflet';

import { ft } from './messages';

export interface MapSettings {
  tiles: string;
  attribution: string;
  center: number[];
  zoom: number;
}

export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface Point {
  lat: number;
  lon: number;
}

const isPoint = (value: unknown): value is Point =>
  typeof value === 'object' && value !== null && Number.isFinite((value as Point).lat) && Number.isFinite((value as Point).lon);

/** Six decimals: about 10 cm, more than a finger can point at. */
const rounded = (n: number) => Math.round(n * 1e6) / 1e6;

export class GuichetMap extends LitElement {
  static properties = {
    settings: { attribute: false },
    point: { attribute: false },
    bounds: { attribute: false },
    label: { type: String },
    failed: { state: true },
  };

  declare settings: MapSettings;
  declare point: unknown;
  /** Where the point must be (the field's bounds): the map starts showing them. */
  declare bounds: Bounds | undefined;
  declare label: string;
  declare failed: boolean;
  private map: Leaflet.Map | undefined;
  private marker: Leaflet.CircleMarker | undefined;
  private leaflet: typeof Leaflet | undefined;

  constructor() {
    super();
    this.label = '';
    this.failed = false;
  }

  async firstUpdated(): Promise<void> {
    const [leaflet, styles] = await Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css?inline')]);
    this.leaflet = leaflet;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles.default);
    const root = this.renderRoot as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    const container = root.querySelector<HTMLElement>('.map');
    if (!container || !this.isConnected) return;
    const start = isPoint(this.point) ? [this.point.lat, this.point.lon] : this.settings.center;
    // Someone who asked for less motion gets a map that jumps instead of gliding.
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.map = leaflet.map(container, {
      center: [start[0], start[1]], zoom: this.settings.zoom, attributionControl: true,
      zoomAnimation: !still, fadeAnimation: !still, markerZoomAnimation: !still, inertia: !still,
    });
    const b = this.bounds;
    if (b && !isPoint(this.point)) this.map.fitBounds([[b.south, b.west], [b.north, b.east]]);
    this.map.attributionControl.setPrefix(false);
    leaflet.tileLayer(this.settings.tiles, { attribution: escapeText(this.settings.attribution), maxZoom: 19 })
      .on('tileerror', () => (this.failed = true))
      .on('tileload', () => (this.failed = false))
      .addTo(this.map);
    this.map.on('click', (event: Leaflet.LeafletMouseEvent) => this.pick(event.latlng.lat, event.latlng.lng));
    this.showPoint();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.map?.remove();
    this.map = undefined;
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has('point')) this.showPoint();
  }

  private pick(lat: number, lon: number): void {
    const point = { lat: rounded(lat), lon: rounded(lon) };
    this.dispatchEvent(new CustomEvent<Point>('pick', { detail: point }));
  }

  /** The point answered (typed, taken from the device or picked), as a dot on the map. */
  private showPoint(): void {
    const { map, leaflet } = this;
    if (!map || !leaflet) return;
    if (!isPoint(this.point)) {
      this.marker?.remove();
      this.marker = undefined;
      return;
    }
    const where: [number, number] = [this.point.lat, this.point.lon];
    if (this.marker) this.marker.setLatLng(where);
    else {
      const style = getComputedStyle(this);
      const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
      this.marker = leaflet.circleMarker(where, {
        radius: 9, weight: 3, fillOpacity: 1,
        color: token('--guichet-color-on-primary', '#ffffff'), fillColor: token('--guichet-color-primary', '#1d4e89'),
      }).addTo(map);
    }
    if (!map.getBounds().pad(-0.2).contains(where)) map.panTo(where, { animate: !matchMedia('(prefers-reduced-motion: reduce)').matches });
  }

  render() {
    return html`<div class="map" role="application" aria-label=${ft.mapLabel(this.label)}></div>
      ${this.failed ? html`<p class="hint">${ft.mapOffline}</p>` : nothing}`;
  }

  static styles = css`
    :host { display: block; margin: 0.75rem 0; }
    .map { height: 16rem; max-width: 40rem; border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); }
    .map:focus-visible { outline: 3px solid var(--guichet-color-focus, #ffbf47); outline-offset: 2px; }
    .hint { color: var(--guichet-color-muted, #4a4a4a); margin: 0.25rem 0 0; }
  `;
}

/** Leaflet shows the attribution as HTML; the setting is plain text. */
function escapeText(text: string): string {
  const span = document.createElement('span');
  span.textContent = text;
  return span.innerHTML;
}

if (!customElements.get('guichet-map')) customElements.define('guichet-map', GuichetMap);
