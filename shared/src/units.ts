// Branded units and frames. They cost nothing at run time and stop degrees from flowing into a
// function that wants radians, or an object-space point from being drawn as a pixel.
declare const unit: unique symbol;
type Brand<T, U extends string> = T & { readonly [unit]: U };

export type Degrees = Brand<number, 'degrees'>;
export type Radians = Brand<number, 'radians'>;
/** Image pixels: x right, y down, origin at the top-left corner of the photo. */
export type Pixels = Brand<number, 'pixels'>;
/** Object (CAD) units, the frame the meshes and `distance` are expressed in. */
export type ObjectUnits = Brand<number, 'object-units'>;

export const deg = (x: number) => x as Degrees;
export const rad = (x: number) => x as Radians;
export const px = (x: number) => x as Pixels;
export const obj = (x: number) => x as ObjectUnits;

export const toRadians = (d: Degrees): Radians => ((d * Math.PI) / 180) as Radians;
export const toDegrees = (r: Radians): Degrees => ((r * 180) / Math.PI) as Degrees;

/** Wraps an angle to [-180, 180). */
export function wrapDegrees(d: Degrees): Degrees {
  const w = ((((d + 180) % 360) + 360) % 360) - 180;
  return w as Degrees;
}
