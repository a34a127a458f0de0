/**
 * A plan is one scene, fully resolved: brand roles replaced by values, element
 * overrides applied, hidden elements dropped, layers in paint order. Plain data:
 * print it, snapshot it, send it to a worker thread.
 */
import type { Box, FocalPoint, Placement } from '../model/template.js';

/** An RGBA colour as a CSS string the canvas accepts (`rgba(r,g,b,a)` or `#rrggbb`). */
export type CssColor = string;

export interface FontChoice {
  /** Family names in fallback order: the element's family first, then the shipped chain (Arabic, Hebrew, CJK, emoji). */
  families: string[];
  weight: number;
  style: 'normal' | 'italic';
}

export interface BaseLayerPlan {
  id: string;
  name?: string;
  contentType: string | null;
  box: Required<Box>;
}

export interface TextLayerPlan extends BaseLayerPlan {
  kind: 'text';
  text: string;
  font: FontChoice;
  size: { max: number; min: number };
  lineHeight: number;
  /** In em. */
  letterSpacing: number;
  align: 'left' | 'center' | 'right' | 'start' | 'end';
  verticalAlign: 'top' | 'middle' | 'bottom';
  transform: 'none' | 'uppercase' | 'lowercase' | 'capitalize';
  maxLines: number | null;
  color: CssColor;
  direction: 'auto' | 'ltr' | 'rtl';
}

export interface ImageLayerPlan extends BaseLayerPlan {
  kind: 'image';
  src: string;
  fit: 'cover' | 'contain';
  focal: FocalPoint;
  cornerRadius: number;
  background: CssColor | null;
}

export interface SmartImageLayerPlan extends BaseLayerPlan {
  kind: 'smartImage';
  src: string;
  fit: 'cover' | 'contain';
  focal: FocalPoint;
  cornerRadius: number;
  background: CssColor | null;
  placement: Required<Placement>;
}

export interface LogoLayerPlan extends BaseLayerPlan {
  kind: 'logo';
  /** Chosen by contrast at paint time when both are given and variant is auto. */
  onLight: string;
  onDark: string;
  variant: 'auto' | 'on_light' | 'on_dark';
  align: 'left' | 'center' | 'right';
  verticalAlign: 'top' | 'middle' | 'bottom';
}

export interface ShapeLayerPlan extends BaseLayerPlan {
  kind: 'shape';
  shape: 'rect' | 'ellipse' | 'line';
  fill: CssColor | null;
  stroke: { color: CssColor; width: number } | null;
  cornerRadius: number;
}

export type LayerPlan = TextLayerPlan | ImageLayerPlan | SmartImageLayerPlan | LogoLayerPlan | ShapeLayerPlan;

export type BackgroundPlan =
  | { kind: 'color'; color: CssColor }
  | { kind: 'linear_gradient'; angle: number; stops: { offset: number; color: CssColor }[] }
  | { kind: 'radial_gradient'; center: FocalPoint; stops: { offset: number; color: CssColor }[] }
  | { kind: 'image'; src: string; focal: FocalPoint; overlay: CssColor | null };

export interface ScenePlan {
  /** `scene_1`, `scene_2`, … (positional, as the contract numbers them). */
  key: string;
  index: number;
  name: string;
  width: number;
  height: number;
  background: BackgroundPlan;
  layers: LayerPlan[];
}
