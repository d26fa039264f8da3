// Imported first by the CLI's entry: citty decides its help colours once, when it loads, and only
// from NO_COLOR=1, so it is told here when this output is no terminal (or NO_COLOR has any value).
import { colorWanted } from './color.ts'

if (!colorWanted(process.stdout)) process.env['NO_COLOR'] = '1'
