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
