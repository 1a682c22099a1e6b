import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './timeline.css';
import { App } from './app';

createRoot(document.getElementById('root')!).render(<App />);
