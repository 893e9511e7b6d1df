# The API and the worker share one image; docker-compose.yml picks the command. Node 22 LTS: the
# oldest line every dependency supports (cookie@2 and content-disposition@3 ask for >= 22).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts wait until the sources are in: `prepare` builds them.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY pipelines ./pipelines
COPY workers ./workers
COPY ui ./ui
# The product alone: the measuring tools (tools/) are neither copied nor built.
RUN npm run build:product

FROM node:22-bookworm-slim
# Two malloc arenas: glibc's default (8 per core) keeps the memory of OCR, libvips and pdf.js threads.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    WARRANTY_DATA_DIR=/var/lib/warranty
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# OCR language data is copied here from the npm packages at first start (no download at run time).
RUN mkdir -p /var/lib/warranty && chown node:node /var/lib/warranty
USER node
EXPOSE 3000
CMD ["node", "dist/src/api/main.js"]
