// Shaders that make the GPU overlay look like the CPU one: flat headlight shading (two-sided) and a
// silhouette outline found from a coverage mask, with the same weights as cpu/overlay.ts.
import * as THREE from 'three';
import { OUTLINE_PX } from '../cpu/raster';

/** Flat shading from screen-space derivatives: no normals to compute or upload per mesh. */
export function flatShadedMaterial(): THREE.ShaderMaterial {
  return new THREE.ShaderMaterial({
    uniforms: { color: { value: new THREE.Color(1, 1, 1) }, opacity: { value: 1 } },
    vertexShader: /* glsl */ `
      varying vec3 vView;
      void main() {
        vec4 mv = modelViewMatrix * vec4(position, 1.0);
        vView = mv.xyz;
        gl_Position = projectionMatrix * mv;
      }`,
    fragmentShader: /* glsl */ `
      uniform vec3 color;
      uniform float opacity;
      varying vec3 vView;
      void main() {
        vec3 n = normalize(cross(dFdx(vView), dFdy(vView)));
        float c = abs(dot(n, normalize(-vView)));
        gl_FragColor = vec4(color * (0.35 + 0.65 * c), opacity);
      }`,
    transparent: true,
    depthTest: true,
    depthWrite: false,
    depthFunc: THREE.LessEqualDepth,
    side: THREE.DoubleSide,
    toneMapped: false,
  });
}

/** Full-screen pass over a coverage mask: pixels near its border get `edgeAlpha`, the inside `fillAlpha`. */
export function silhouetteMaterial(mask: THREE.Texture): THREE.ShaderMaterial {
  return new THREE.ShaderMaterial({
    uniforms: {
      mask: { value: mask },
      color: { value: new THREE.Color(1, 1, 1) },
      edgeAlpha: { value: 1 },
      fillAlpha: { value: 0.3 },
    },
    vertexShader: /* glsl */ `
      void main() { gl_Position = vec4(position.xy, 0.0, 1.0); }`,
    fragmentShader: /* glsl */ `
      uniform sampler2D mask;
      uniform vec3 color;
      uniform float edgeAlpha;
      uniform float fillAlpha;
      float covered(ivec2 p, ivec2 size) {
        if (p.x < 0 || p.y < 0 || p.x >= size.x || p.y >= size.y) return 0.0;
        return texelFetch(mask, p, 0).r;
      }
      void main() {
        ivec2 p = ivec2(gl_FragCoord.xy);
        ivec2 s = textureSize(mask, 0);
        if (covered(p, s) < 0.5) discard;
        bool border = false;
        for (int d = 1; d <= OUTLINE_PX; d++) {
          border = border || covered(p + ivec2(d, 0), s) < 0.5 || covered(p - ivec2(d, 0), s) < 0.5
            || covered(p + ivec2(0, d), s) < 0.5 || covered(p - ivec2(0, d), s) < 0.5;
        }
        gl_FragColor = vec4(color, border ? edgeAlpha : fillAlpha);
      }`,
    defines: { OUTLINE_PX },
    transparent: true,
    depthTest: false,
    depthWrite: false,
    toneMapped: false,
  });
}

/** Per pixel of the nearest surface: its normal turned towards the viewer (rgb) and its view depth (a, 0 = empty). */
export function normalDepthMaterial(): THREE.ShaderMaterial {
  return new THREE.ShaderMaterial({
    vertexShader: /* glsl */ `
      varying vec3 vView;
      void main() {
        vec4 mv = modelViewMatrix * vec4(position, 1.0);
        vView = mv.xyz;
        gl_Position = projectionMatrix * mv;
      }`,
    fragmentShader: /* glsl */ `
      varying vec3 vView;
      void main() {
        vec3 n = normalize(cross(dFdx(vView), dFdy(vView)));
        if (dot(n, vView) > 0.0) n = -n;
        gl_FragColor = vec4(n, -vView.z);
      }`,
    side: THREE.DoubleSide,
    depthTest: true,
    depthWrite: true,
  });
}

/**
 * Feature lines from a normal/depth target, as cpu/features.ts finds them: a pixel is on a line
 * when a 4-neighbour is empty while it is not, or lies further away across a fold or a depth jump;
 * `halfWidth` widens the line by looking that many pixels around.
 */
export function featureEdgeMaterial(target: THREE.Texture): THREE.ShaderMaterial {
  return new THREE.ShaderMaterial({
    uniforms: {
      nd: { value: target },
      color: { value: new THREE.Color(1, 1, 1) },
      opacity: { value: 1 },
      cosCrease: { value: 0.77 },
      depthTol: { value: 0.04 },
      lo: { value: 0 },
      hi: { value: 0 },
    },
    vertexShader: /* glsl */ `
      void main() { gl_Position = vec4(position.xy, 0.0, 1.0); }`,
    fragmentShader: /* glsl */ `
      uniform sampler2D nd;
      uniform vec3 color;
      uniform float opacity;
      uniform float cosCrease;
      uniform float depthTol;
      uniform int lo;
      uniform int hi;
      vec4 at(ivec2 p, ivec2 s) {
        if (p.x < 0 || p.y < 0 || p.x >= s.x || p.y >= s.y) return vec4(0.0);
        return texelFetch(nd, p, 0);
      }
      bool front(vec4 a, vec4 b) {
        if (a.a <= 0.0) return false;
        if (b.a <= 0.0) return true;
        if (b.a < a.a) return false;
        return b.a - a.a > depthTol || dot(a.xyz, b.xyz) < cosCrease;
      }
      bool line(ivec2 p, ivec2 s) {
        vec4 c = at(p, s);
        return front(c, at(p + ivec2(1, 0), s)) || front(c, at(p - ivec2(1, 0), s))
          || front(c, at(p + ivec2(0, 1), s)) || front(c, at(p - ivec2(0, 1), s));
      }
      void main() {
        ivec2 p = ivec2(gl_FragCoord.xy);
        ivec2 s = textureSize(nd, 0);
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            if (dx < lo || dx > hi || dy < lo || dy > hi) continue;
            if (line(p + ivec2(dx, dy), s)) {
              gl_FragColor = vec4(color, opacity);
              return;
            }
          }
        }
        discard;
      }`,
    transparent: true,
    depthTest: false,
    depthWrite: false,
    toneMapped: false,
  });
}
